"""Inputs given as fsspec URLs (extract/remote.py): the same tables as the same files
given as paths; storage that cannot be reached is one errors.csv row."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from test_batch_run import SAMPLES, make_corpus, read_csv

from extract import parse_folder
from extract.remote import is_url, list_url

pytest.importorskip("fsspec")
AS_OF = date(2024, 12, 31)
TABLES = ("documents.csv", "sections.csv", "items.csv", "measures.csv", "checks.csv",
          "errors.csv", "summary.csv")


def test_a_folder_url_gives_the_tables_of_the_folder(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", n_samples=4)  # with a duplicate, an empty file and junk
    parse_folder(tmp_path / "in", out=tmp_path / "by-path", as_of=AS_OF, workers=2, cache=False)
    parse_folder(f"file://{tmp_path / 'in'}", out=tmp_path / "by-url", as_of=AS_OF, workers=2,
                 cache=False)
    for name in TABLES:
        assert (tmp_path / "by-url" / name).read_bytes() == (tmp_path / "by-path" / name).read_bytes(), name


def test_a_file_url_and_the_cache(tmp_path: Path) -> None:
    sample = tmp_path / "通报.txt"
    shutil.copy(SAMPLES / "001_county_health_bureau.txt", sample)
    url = f"file://{sample}"
    first = parse_folder(url, out=tmp_path / "out", as_of=AS_OF, workers=1)
    again = parse_folder(url, out=tmp_path / "out", as_of=AS_OF, workers=1)
    assert (first.result.documents, first.result.cached) == (1, 0)
    assert (again.result.documents, again.result.cached) == (1, 1)
    assert [r["source_path"] for r in read_csv(tmp_path / "out" / "documents.csv")] == ["通报.txt"]


def test_storage_that_cannot_be_reached_is_one_error_row(tmp_path: Path) -> None:
    url = "nosuchprotocol://bucket/通报/"
    run = parse_folder(url, out=tmp_path / "out", as_of=AS_OF, workers=1)
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert run.result.failed == 1 and [e["source_path"] for e in errors] == [url]
    assert errors[0]["error"] == "unreadable" and "fsspec" in errors[0]["message"]


def test_what_is_a_url() -> None:
    assert is_url("s3://bucket/a.pdf") and is_url("file:///tmp/x") and is_url("gcs://b/")
    assert not is_url("C:\\通报\\a.docx") and not is_url("/tmp/a.txt") and not is_url(Path("x"))
    assert not is_url("通报://x")


def test_listing_is_sorted_and_relative(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a.txt", "b/1.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = list(list_url(f"file://{tmp_path}"))
    assert [rel for _, rel in found] == ["a.txt", "b/1.txt", "b/2.txt"]
    assert all(u.startswith("file://") and u.endswith(rel) for u, rel in found)
