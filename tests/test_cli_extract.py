"""zhenggai extract / report: outputs, exit codes, one-line usage errors, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_batch_run import make_corpus, read_csv

from extract import api, batch, cli

REPO = Path(__file__).resolve().parent.parent
CONTRACT_CSVS = ("documents.csv", "sections.csv", "items.csv", "measures.csv", "checks.csv",
                 "errors.csv", "summary.csv", "incomplete.csv", "themes.csv")


def zhenggai(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "in"
    make_corpus(root, n_samples=5)
    return root


def test_extract_writes_every_contract_csv_and_a_summary(corpus: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = zhenggai(capsys, "extract", corpus, "--out", out, "--as-of", "2024-12-31",
                                    "--workers", "2", "--format", "jsonl")
    assert code == 0, stderr
    for name in CONTRACT_CSVS:
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    assert (out / "documents.jsonl").exists()
    docs = read_csv(out / "documents.csv")
    items = read_csv(out / "items.csv")
    bulletins = sum(d["doc_type"] == "bulletin" for d in docs)
    overdue = sum(i["overdue"] == "true" for i in items)
    in_progress = sum(i["status"] == "in_progress" for i in items)
    line = stdout.strip()
    assert line.startswith("完成：")
    assert f"文档 {len(docs)} 份（通报 {bulletins} 份）" in line
    assert f"问题 {len(items)} 条，整改中 {in_progress} 条，逾期 {overdue} 条，失败 1 个文件" in line
    assert "Traceback" not in stderr


def test_failed_files_exit_0_and_strict_exits_1(corpus: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = zhenggai(capsys, "extract", corpus, "--out", tmp_path / "o1", "--quiet")
    assert code == 0
    code, stdout, _ = zhenggai(capsys, "extract", corpus, "--out", tmp_path / "o1", "--strict")
    assert code == 1 and "失败 1 个文件" in stdout
    good = sorted(corpus.glob("0*.txt"))[0]
    code, _, _ = zhenggai(capsys, "extract", good, corpus / ".DS_Store", "--out", tmp_path / "o2",
                          "--strict")
    assert code == 0  # a skipped junk file is not a failure


@pytest.mark.parametrize("args, fragment", [
    (["--as-of", "2024-13-01"], "--as-of"),
    (["--as-of", "20240101"], "YYYY-MM-DD"),
    (["--format", "csv,pdf"], "pdf"),
    (["--workers", "0"], "--workers"),
    (["--max-size", "lots"], "--max-size"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--executor dask"),
    (["--bogus"], "--bogus"),
])
def test_usage_errors_exit_2_with_one_line(corpus: Path, tmp_path: Path, args: list[str],
                                           fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, stderr = zhenggai(capsys, "extract", corpus, "--out", tmp_path, *args)
    assert code == 2
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert fragment in stderr and "Traceback" not in stderr


def test_missing_input_path_is_a_usage_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = zhenggai(capsys, "extract", tmp_path / "不存在 的.txt")
    assert code == 2 and len(stderr.strip().splitlines()) == 1 and "不存在 的.txt" in stderr
    code, _, stderr = zhenggai(capsys, "extract")
    assert code == 2 and len(stderr.strip().splitlines()) == 1


def test_internal_error_is_one_line_not_a_traceback(corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(api, "parse_folder", broken)
    code, _, stderr = zhenggai(capsys, "extract", corpus, "--out", tmp_path)
    assert code == 1 and "Traceback" not in stderr and "磁盘已满" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_dask_without_scheduler_address_that_answers_is_one_line(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "DaskExecutor", _refuse)
    code, _, stderr = zhenggai(capsys, "extract", corpus, "--out", tmp_path, "--executor", "dask")
    assert code == 2 and "dask" in stderr.lower() and len(stderr.strip().splitlines()) == 1


def _refuse(*args: object, **kw: object) -> None:
    raise batch.BatchError("未安装 Dask：请先 pip install 'zhenggai[dask]'")


def test_all_formats_and_report_command(corpus: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, stderr = zhenggai(capsys, "extract", corpus, "--out", out, "--as-of", "2024-12-31",
                               "--format", "csv,xlsx,sqlite,jsonl,html", "--headers", "zh")
    assert code == 0, stderr
    for name in ("results.xlsx", "results.sqlite", "documents.jsonl", "report.html"):
        assert (out / name).stat().st_size > 0, name
    (out / "report.html").unlink()
    code, stdout, _ = zhenggai(capsys, "report", out)
    assert code == 0 and Path(stdout.strip()) == out / "report.html"
    assert (out / "report.html").exists()


def test_python_dash_m_equals_console_script(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["extract", str(corpus), "--as-of", "2024-12-31", "--workers", "2", "--no-cache"]
    a = subprocess.run([sys.executable, "-m", "extract", *args, "--out", str(tmp_path / "a")],
                       capture_output=True, text=True, env=env, timeout=120)
    script = Path(sys.executable).parent / "zhenggai"
    b = subprocess.run([str(script), *args, "--out", str(tmp_path / "b")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert a.stdout == b.stdout
    assert "Traceback" not in a.stderr + b.stderr
    for name in CONTRACT_CSVS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize(("args", "code"), [(["--help"], 0), (["extract"], 2),
                                            (["extract", "{bad}", "--strict", "--out", "{out}"], 1)])
def test_the_entry_point_ends_with_mains_status(tmp_path: Path, args: list[str], code: int) -> None:
    """cli.entry (the console script, python -m extract) ends the process with main's exit
    status, its last line printed (it only hides the objects from the collector at exit)."""
    bad, out = tmp_path / "bad.pdf", tmp_path / "out"
    bad.write_bytes(b"%PDF-1.7 not a pdf at all")
    proc = subprocess.run([sys.executable, "-m", "extract",
                           *(a.format(bad=bad, out=out) for a in args)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if code == 1:  # the run finished and said so before the process ended
        assert "失败 1 个文件" in proc.stdout
        assert "bad.pdf" in (out / "errors.csv").read_text(encoding="utf-8-sig")


def test_the_cli_imports_the_library_only_once_it_runs(tmp_path: Path) -> None:
    """`zhenggai extract` starts its workers' server before it imports the library, so the
    server's imports and warm-up overlap the writing process's own."""
    code = ("import sys\nimport extract.cli\n"
            "print(sorted(m for m in ('extract.api', 'extract.batch', 'extract.pipeline', 'numpy',"
            " 'pandas') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.strip() == "[]", proc.stderr


def test_workers_start_at_once_only_when_every_file_will_be_parsed(tmp_path: Path) -> None:
    cache = tmp_path / "out" / ".cache"
    assert cli.parses_everything(no_cache=True, cache_dir=cache)
    assert cli.parses_everything(no_cache=False, cache_dir=cache)  # a first run: no cache yet
    cache.mkdir(parents=True)
    assert not cli.parses_everything(no_cache=False, cache_dir=cache)  # hits may leave nothing
    assert cli.parses_everything(no_cache=True, cache_dir=cache)
