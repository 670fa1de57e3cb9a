"""The themes' matching done while a run waits for its workers (extract/themes.py
match_ahead, extract/batch.py _Emitter.work_while_idle): the table is the one made by
matching every title at the end, and titles matched ahead are not matched again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from extract import themes
from extract.batch import BatchOptions, BatchResult, run_batch
from extract.records import BULLETIN
from extract.writers.csv import CsvSink

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run(tmp_path: Path, n: int = 12, paths: list[Path] | None = None) -> BatchResult:
    """A run with one worker over ``paths`` (default: the first ``n`` text samples), every
    CSV table written (the analysis's work queued as bulletins arrive)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in paths if paths is not None else sorted(SAMPLES.glob("[0-9]*.txt"))[:n]:
        shutil.copy(path, folder / path.name)
    options = BatchOptions(out_dir=tmp_path / "out", as_of=date(2024, 12, 31), workers=1,
                           use_cache=False)
    return run_batch([folder], options, sinks=[CsvSink(tmp_path / "out", analysis=True)])


def test_a_run_matches_its_bulletins_titles_while_it_waits(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    themes.new_run()
    themes._tokenizer()  # ready from the first bulletin on (in a run it warms up meanwhile)
    result = run(tmp_path)
    tables = result.tables
    bulletins = {d.doc_id for d in tables.documents if d.doc_type == BULLETIN}
    leaf_titles = {it._title for it in tables.items if it.leaf and it.doc_id in bulletins}
    ahead = leaf_titles & set(themes._AHEAD)
    # how many depends on the workers' pace (a title arriving when nothing is left to wait
    # for is matched at the end); with one worker the run waits between every two files
    assert ahead
    # the themes table the run wrote is the one made by matching every title at the end
    computed = themes.themes(tables.documents, tables.items, theme_map=themes.load_themes())
    assert tables.analysis()["themes"] == computed
    # and the titles matched ahead are not matched again
    matched_again: list[str] = []
    matcher = themes.default_matcher()
    real_match = matcher.match
    monkeypatch.setattr(matcher, "match", lambda title: matched_again.append(title)
                        or real_match(title))
    assert themes.themes(tables.documents, tables.items) == computed
    again = {title.encode("utf-16-le", "surrogatepass") for title in matched_again}
    assert again.isdisjoint(ahead) and again <= leaf_titles


def test_titles_met_before_the_tokenizer_is_ready_are_matched_at_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "_TOKENIZER", [])
    monkeypatch.setattr(themes, "warm_up", lambda: None)  # it never gets ready in the run
    result = run(tmp_path, n=4)
    assert themes._AHEAD == {}
    monkeypatch.undo()
    tables = result.tables
    assert themes.themes(tables.documents, tables.items) == themes.themes(
        tables.documents, tables.items, theme_map=themes.load_themes())
    assert tables.analysis()["themes"][1]  # the table the run wrote has its rows


def test_a_units_second_bulletin_has_its_units_titles_cut_while_the_run_waits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three series of three bulletins and a bulletin of its own: from a unit's second
    bulletin on, the leaf titles of the unit's bulletins are cut while the run waits for
    its workers (history compares them), the lone one's are not; history's table is the
    one made by cutting every title at the end."""
    from extract import history

    themes._tokenizer()
    prepared: list[str] = []
    real = history.prepare_titles
    monkeypatch.setattr(history, "prepare_titles", lambda items: (
        prepared.extend(it.doc_id for it in items[:1]), real(items)))
    result = run(tmp_path, paths=[*sorted(SAMPLES.glob("15[0-8]_*series*.txt")),
                                  SAMPLES / "005_city_hospital.txt"])
    tables = result.tables
    path_of = {d.doc_id: d.source_path for d in tables.documents}
    done = sorted(path_of[doc_id] for doc_id in prepared)
    assert done and "005_city_hospital.txt" not in done
    assert all("series" in path for path in done)
    written = history.history_table(history.build(tables.documents, tables.items))
    history.title_tokens.cache_clear()
    assert history.history_table(history.build(tables.documents, tables.items)) == written
    assert written[1]  # the series' problems are followed
