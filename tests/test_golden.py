"""Every sample in samples/ gives exactly its reviewed golden output."""

from __future__ import annotations

import difflib
import json

import pytest
from goldenlib import golden_path, golden_record, items_tsv, items_tsv_path, sample_files

SAMPLES = sample_files()
#: Text recognised by OCR may differ by a character between CPUs (floating point in the
#: models): for these the structure must match exactly and the wording closely.
OCR_FORMATS = ("pdf-ocr", "image")
#: Least similarity of an OCR'd item title to its golden title.
OCR_TITLE_SIMILARITY = 0.9


def _assert_close(got: dict, expected: dict) -> None:
    for key in ("doc_type", "unit", "inspection_kind", "items_declared", "problems_declared",
                "problems_completed", "problems_in_progress", "completion_rate", "items_extracted"):
        assert got["document"][key] == expected["document"][key], key
    got_items = [(i["item_no"], i["parent_no"], i["status"], i["deadline"]) for i in got["items"]]
    assert got_items == [(i["item_no"], i["parent_no"], i["status"], i["deadline"])
                         for i in expected["items"]]
    for g, e in zip(got["items"], expected["items"], strict=True):
        ratio = difflib.SequenceMatcher(None, g["title"], e["title"]).ratio()
        assert ratio >= OCR_TITLE_SIMILARITY, (g["title"], e["title"])


def test_every_sample_has_a_golden_file():
    missing = [str(s) for s in SAMPLES if not golden_path(s).exists()]
    assert not missing, f"no golden output for {missing}: run scripts/regen_golden.py and review"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_matches_golden(sample):
    path = golden_path(sample)
    if not path.exists():
        pytest.skip("no golden file")
    expected = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(golden_record(sample), ensure_ascii=False))
    if "error" in expected:
        assert got == expected
        return
    if expected["document"]["source_format"] in OCR_FORMATS:
        _assert_close(got, expected)
        return
    assert got["document"] == expected["document"]
    assert got["sections"] == expected["sections"]
    assert got["items"] == expected["items"]
    assert got["measures"] == expected["measures"]
    assert got["checks"] == expected["checks"]
    assert got["text_sha256"] == expected["text_sha256"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_items_tsv_is_the_golden_in_a_reviewable_form(sample):
    """Beside each golden JSON, its items as TSV (no, parent, status, deadline, title): the
    twin a reviewer reads in a diff. Both are written by scripts/regen_golden.py."""
    expected = json.loads(golden_path(sample).read_text(encoding="utf-8"))
    assert items_tsv_path(sample).read_text(encoding="utf-8") == items_tsv(expected)
