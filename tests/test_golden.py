"""Every sample in samples/ gives exactly its reviewed golden output."""

from __future__ import annotations

import json

import pytest
from goldenlib import golden_path, golden_record, sample_files

SAMPLES = sample_files()


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
    assert got["document"] == expected["document"]
    assert got["sections"] == expected["sections"]
    assert got["items"] == expected["items"]
    assert got["measures"] == expected["measures"]
    assert got["checks"] == expected["checks"]
    assert got["text_sha256"] == expected["text_sha256"]
