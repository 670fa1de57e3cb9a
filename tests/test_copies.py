"""Copies of one bulletin found by their text (extract/copies.py): signatures, the rule that
two documents may be one bulletin, which copy is kept, and a run that counts it once."""

from __future__ import annotations

import base64
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from extract import parse_folder
from extract.copies import (
    NEAR_DUPLICATE_MIN_SCORE,
    NUM_PERM,
    TABLE_START_SLOTS,
    BucketTable,
    CopyIndex,
    band_keys,
    completeness,
    fingerprint_text,
    kept_signature,
    may_be_copies,
    shingle_hashes,
    signature,
)
from extract.records import BULLETIN, NOT_BULLETIN, DocumentFields

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
AS_OF = date(2026, 6, 30)

TEXT = ("根据县委统一部署，2023年4月10日至6月2日，县委第二巡察组对中共青岑县水利局党组开展了常规巡察，"
        "并于2023年7月14日反馈了巡察意见。截至2024年4月30日，巡察反馈的6个问题已完成整改4个，"
        "正在整改2个。1.学习贯彻习近平总书记关于治水重要论述不深入。整改情况：已完成整改，并长期坚持。"
        "2.落实河湖长制工作推动不力，部分河段“清四乱”整治不彻底。整改情况：已完成整改。")
OTHER = ("2024年3月18日至4月30日，县委第三巡察组对中共柘岩县岭东镇委员会开展了常规巡察。"
         "耕地保护责任落实不到位，存在违规占用耕地建房问题。防返贫动态监测帮扶不精准。"
         "村级工程项目招投标管理不规范。镇机关干部作风不实，为民服务意识不强。")


def _score(a: bytes, b: bytes) -> float:
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


def _fp(text: str, mirror: bool = False) -> dict[str, object]:
    fp = fingerprint_text(text, mirror)
    assert fp["minhash"] is not None and len(fp["bands"]) == 8
    return fp


def _doc(doc_id: str, **kw: object) -> DocumentFields:
    base = dict(doc_id=doc_id, source_path=f"{doc_id}.txt", source_format="txt", doc_type=BULLETIN,
                unit="中共青岑县水利局党组", as_of_date="2024-04-30", feedback_date="2023-07-14",
                problems_declared=6, problems_completed=4, items_extracted=6)
    base.update(kw)
    return DocumentFields(**base)  # type: ignore[arg-type]


def test_spaces_punctuation_width_and_case_do_not_count() -> None:
    assert signature(TEXT) == signature(TEXT.replace("，", " ").replace("。", "\n"))
    assert signature("ＡＢ１２整改到位") == signature("ab12 整改到位")
    assert signature(TEXT) != signature(OTHER)


def test_a_text_without_characters_has_no_signature_and_a_short_one_has_one_shingle() -> None:
    assert signature("") is None and signature("，。 \n——") is None
    assert shingle_hashes("整改").size == 1
    assert shingle_hashes("整改整改整改").size == 2  # 整改整改整, 改整改整改: distinct runs only
    sig = signature(TEXT)
    assert sig is not None and len(sig) == NUM_PERM * 4


def test_a_copy_scores_high_and_another_bulletin_low() -> None:
    a, b, c = signature(TEXT), signature(TEXT + "来源：清风青岑网"), signature(OTHER)
    assert a is not None and b is not None and c is not None
    assert _score(a, b) >= NEAR_DUPLICATE_MIN_SCORE
    assert _score(a, c) < 0.2


def test_what_two_copies_may_not_contradict() -> None:
    a = _doc("a" * 16)
    assert may_be_copies(a, _doc("b" * 16, publish_date="2024-05-13"))  # a re-post's own date
    assert may_be_copies(a, _doc("b" * 16, unit=None))  # a copy whose unit was not read
    assert may_be_copies(a, _doc("b" * 16, unit="县水利局党组", as_of_date="2024-04"))
    assert not may_be_copies(a, _doc("b" * 16, as_of_date="2024-10-31"))  # the next bulletin
    assert not may_be_copies(a, _doc("b" * 16, problems_completed=5))
    assert not may_be_copies(a, _doc("b" * 16, unit="中共青岑县林业局党组"))
    assert not may_be_copies(a, _doc("b" * 16, doc_type=NOT_BULLETIN))


def test_the_copy_kept_is_the_most_complete() -> None:
    full = _doc("a" * 16, publish_date="2024-05-10")
    fewer_items = _doc("b" * 16, items_extracted=5, publish_date="2024-05-10")
    fewer_fields = _doc("c" * 16)
    ocr = _doc("d" * 16, source_format="pdf-ocr", publish_date="2024-05-10")
    ranked = sorted([(fewer_items, False, 0), (ocr, False, 1), (full, True, 2),
                     (fewer_fields, False, 3), (full, False, 4)],
                    key=lambda t: completeness(t[0], t[1], t[2]))
    assert [(d.doc_id[0], mirror, n) for d, mirror, n in ranked] == [
        ("a", False, 4), ("d", False, 1), ("a", True, 2), ("c", False, 3), ("b", False, 0)]


def test_the_index_joins_copies_and_keeps_the_best_one() -> None:
    index = CopyIndex()
    mirror = _doc("1" * 16, source_path="mirror.txt")
    original = _doc("2" * 16, source_path="original.txt")
    repost = _doc("3" * 16, source_path="repost.txt", publish_date="2024-05-13")
    nextone = _doc("4" * 16, as_of_date="2024-10-31", problems_completed=5)
    other = _doc("5" * 16, unit="中共柘岩县岭东镇委员会")
    index.add(mirror, _fp(TEXT, mirror=True))
    index.add(original, _fp(TEXT))
    index.add(repost, _fp(TEXT + "来源：清风青岑网 发布时间：2024-05-13"))
    index.add(nextone, _fp(TEXT))  # same words, later figures: the next bulletin, not a copy
    index.add(other, _fp(OTHER))
    index.add(_doc("6" * 16), None)  # no text: never a copy
    decided = {copy.source_path: (kept.source_path, score) for copy, kept, score in index.decide()}
    # the repost states a publish date, the others do not: it is the fullest copy
    assert set(decided) == {"mirror.txt", "original.txt"}
    assert {kept for kept, _ in decided.values()} == {"repost.txt"}
    # both have the text without the repost's stamp: alike, and alike to the copy kept
    assert decided["mirror.txt"][1] == decided["original.txt"][1]
    assert NEAR_DUPLICATE_MIN_SCORE <= decided["original.txt"][1] < 1.0


def test_the_index_holds_a_few_hundred_bytes_a_document() -> None:
    index = CopyIndex()
    rng = np.random.default_rng(3)
    n = 3000
    for i in range(n):
        raw = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32).astype("<u4").tobytes()
        index.add(_doc(f"{i:016x}"), {"minhash": base64.b64encode(kept_signature(raw)).decode(),
                                      "bands": band_keys(raw), "mirror": False})
    per_document = index.memory_bytes() / n
    assert per_document < 400, per_document  # 128 bytes of signature and 8 bucket keys
    assert list(index.decide()) == []  # random signatures are never copies


def test_the_writing_process_never_loads_datasketch() -> None:
    """datasketch (and the scipy it imports, ~55 MiB) and numpy are for the workers' signatures
    only: the writing process files signatures as bytes."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from extract.copies import CopyIndex\n"
        "from extract.records import DocumentFields\n"
        f"fp = {_fp(TEXT)!r}\n"
        "index = CopyIndex()\n"
        "for n in range(3):\n"
        "    index.add(DocumentFields(f'{n:016x}', f'{n}.txt', 'txt'), fp)\n"
        "assert len(list(index.decide())) == 2\n"
        "print(sorted(m for m in ('datasketch', 'scipy', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_bucket_table_files_and_finds_across_growth() -> None:
    table = BucketTable()
    keys = [(n * 7919 + band * 0x9E3779B1) & 0xFFFFFFFE for n in range(2 * TABLE_START_SLOTS)
            for band in range(2)]
    for number, key in enumerate(keys):
        assert table.file(key, number) == []
    assert len(table._keys) > TABLE_START_SLOTS  # it grew, every key still in place
    assert table.file(keys[5], 10_000) == [5]
    assert table.file(keys[5], 10_001) == [5, 10_000]
    assert table.file(keys[-1], 10_002) == [len(keys) - 1]
    assert table.nbytes() < 8 * 3 * len(keys) + 1000


@pytest.fixture(scope="module")
def copies_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("copies")
    for name in ("151_county_water_bureau_series_second.txt",
                 "162_water_bureau_second_reposted_discipline_site.txt",
                 "154_city_urban_management_series_second.txt",
                 "163_urban_management_second_traditional_pinyin_mirror.txt",
                 "157_county_hospital_series_second.txt", "158_county_hospital_series_third.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "151_county_water_bureau_series_second.txt", folder / "same bytes.txt")
    shutil.copy(SAMPLES / "162_water_bureau_second_reposted_discipline_site.txt",
                folder / "zz repost again.txt")
    out = tmp_path_factory.mktemp("out")
    run = parse_folder(folder, as_of=AS_OF, workers=2, cache=False)
    run.write(out, formats=("csv", "xlsx", "sqlite"))
    return out, run


def test_a_run_marks_the_copies_and_counts_each_bulletin_once(copies_run: tuple[Path, object]) -> None:
    _, run = copies_run
    docs = {d.source_path: d for d in run.tables.documents}  # type: ignore[attr-defined]
    kept_151 = docs["151_county_water_bureau_series_second.txt"]
    assert kept_151.duplicate_of is None
    assert docs["162_water_bureau_second_reposted_discipline_site.txt"].duplicate_of == kept_151.doc_id
    assert docs["same bytes.txt"].duplicate_of == kept_151.doc_id
    assert docs["same bytes.txt"].duplicate_score == 1.0
    # the same bytes as a copy: it follows that copy to the one kept, with its score
    repost = docs["162_water_bureau_second_reposted_discipline_site.txt"]
    again = docs["zz repost again.txt"]
    assert (again.duplicate_of, again.duplicate_score) == (kept_151.doc_id, repost.duplicate_score)
    mirror = docs["163_urban_management_second_traditional_pinyin_mirror.txt"]
    assert mirror.duplicate_of == docs["154_city_urban_management_series_second.txt"].doc_id
    assert mirror.duplicate_score is not None and mirror.duplicate_score >= NEAR_DUPLICATE_MIN_SCORE
    # two successive bulletins of the hospital share most words, not their dates: not copies
    assert docs["157_county_hospital_series_second.txt"].duplicate_of is None
    assert docs["158_county_hospital_series_third.txt"].duplicate_of is None
    summary = run.analysis()["summary"]  # type: ignore[attr-defined]
    rows = {r.unit_key: r for r in summary.itertuples()}
    assert (rows["青岑县水利局"].bulletins, rows["青岑县水利局"].files) == (1, 4)
    assert (rows["澜川市城管局"].bulletins, rows["澜川市城管局"].files) == (1, 2)
    assert (rows["桐川县人民医院"].bulletins, rows["桐川县人民医院"].files) == (2, 2)
    incomplete = run.analysis()["incomplete"]  # type: ignore[attr-defined]
    assert set(incomplete["source_path"]) == {
        "151_county_water_bureau_series_second.txt", "154_city_urban_management_series_second.txt",
        "157_county_hospital_series_second.txt", "158_county_hospital_series_third.txt"}


def test_every_format_lists_the_copies(copies_run: tuple[Path, object]) -> None:
    import sqlite3

    from openpyxl import load_workbook

    from extract.writers.tables import read_tables

    out, run = copies_run
    tables = read_tables(out)
    docs = tables["documents"].rows()
    marked = sorted(d["source_path"] for d in docs if d["duplicate_of"])
    assert marked == ["162_water_bureau_second_reposted_discipline_site.txt",
                      "163_urban_management_second_traditional_pinyin_mirror.txt", "same bytes.txt",
                      "zz repost again.txt"]
    near = [c for c in tables["checks"].rows() if c["check"] == "near_duplicate"]
    # one finding per copy with other bytes (a file with the same bytes has duplicate_file)
    assert sorted((c["doc_id"], c["expected"]) for c in near) == sorted(
        {(d["doc_id"], d["duplicate_of"]) for d in docs
         if d["duplicate_of"] and d["source_path"] not in ("same bytes.txt", "zz repost again.txt")})
    assert all(c["severity"] == "info" and "只计一次" in c["message"] for c in near)
    with sqlite3.connect(out / "results.sqlite") as conn:
        got = conn.execute("SELECT source_path FROM documents WHERE duplicate_of IS NOT NULL "
                           "ORDER BY source_path").fetchall()
        assert [g[0] for g in got] == marked
        assert conn.execute("SELECT COUNT(*) FROM checks WHERE \"check\" = 'near_duplicate'"
                            ).fetchone()[0] == len(near)
        # the view lists each open item once: not a copy's, not twice for the same bytes
        view = conn.execute("SELECT source_path, item_no FROM incomplete_items").fetchall()
        assert sorted(view) == sorted((r["source_path"], r["item_no"])
                                      for r in tables["incomplete"].rows())
        # the hospital's two bulletins are followed in the history table
        history = conn.execute("SELECT DISTINCT source_path FROM history ORDER BY 1").fetchall()
        assert [h[0] for h in history] == ["157_county_hospital_series_second.txt",
                                           "158_county_hospital_series_third.txt"]
    book = load_workbook(out / "results.xlsx")
    assert book.sheetnames[-1] == "history" and book["history"].max_row == 1 + 2 * 6
    sheet = book["documents"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    col = header.index("duplicate_of")
    assert sorted(r[header.index("source_path")] for r in rows[1:] if r[col]) == marked
    frame = run.frames()["documents"]  # type: ignore[attr-defined]
    assert sorted(frame[frame["duplicate_of"].notna()]["source_path"]) == marked


def test_a_rerun_from_the_cache_finds_the_same_copies(tmp_path: Path) -> None:
    """The signature is part of the cached entry: an unchanged re-run parses nothing and
    still marks the copy."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("151_county_water_bureau_series_second.txt",
                 "162_water_bureau_second_reposted_discipline_site.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    runs = [parse_folder(folder, out=tmp_path / "out", as_of=AS_OF, workers=1) for _ in range(2)]
    assert [r.result.cached for r in runs] == [0, 2]
    for run in runs:
        docs = {d.source_path: d for d in run.tables.documents}
        copy = docs["162_water_bureau_second_reposted_discipline_site.txt"]
        assert copy.duplicate_of == docs["151_county_water_bureau_series_second.txt"].doc_id
        assert run.result.near_duplicates == 1


def test_signatures_are_datasketchs_value_for_value() -> None:
    """copies.signature replicates datasketch's MinHash (affine32, the same seed) with numpy:
    the signatures of every sample text are datasketch's, so measured thresholds hold."""
    datasketch = pytest.importorskip("datasketch")
    from extract.copies import MINHASH_SEED, NUM_PERM, shingle_hashes, signature

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))[:40]]
    texts += ["一", "巡察整改", "ＡＢＣ１２３ abc", "财务管理制度执行不到位" * 50]
    for text in texts:
        reference = datasketch.MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine32",
                                       hashfunc=int)
        reference.update_batch(shingle_hashes(text).tolist())
        assert signature(text) == reference.hashvalues.astype("<u4").tobytes(), text[:20]
    assert signature("。，、 \n") is None


def test_making_a_signature_does_not_load_datasketch() -> None:
    code = ("import sys\nfrom extract.copies import signature\nsignature('巡察整改进展情况的通报')\n"
            "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))\n")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.strip() == "[]"
