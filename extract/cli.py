"""The ``zhenggai`` command: thin wrappers over the library (:mod:`extract.api`).

Only this module prints. Data goes to files, the progress bar and logs to
stderr, the final summary line to stdout. Exit codes: 0 the run finished
(even with failed files), 1 ``--strict`` and a file failed, the output folder
busy or its disk full, or an internal error, 2 a usage error (one line on
stderr), 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM — both handled
alike: the run stops, its unfinished outputs are dropped and the previous ones
stay whole. Never a traceback unless ``--verbose``.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

# Light imports only: `zhenggai extract` starts the workers' server before it imports the
# library (extract.api), so the two import at once.
from extract.executors import (
    DEFAULT_MAX_MEMORY_BYTES,
    DEFAULT_MAX_SIZE_BYTES,
    DEFAULT_TIMEOUT_S,
    BatchError,
    available_cpus,
    start_worker_server,
)
from extract.remote import is_url
from extract.writers import FORMATS
from extract.writers.folder import OutputError, folder_lock

if TYPE_CHECKING:
    from extract.batch import BatchResult

log = logging.getLogger("extract")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: Exit status after SIGTERM (128 + the signal number, as a shell reports it).
EXIT_TERMINATED = 128 + signal.SIGTERM

#: Size suffixes accepted by --max-size, in bytes.
SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2,
              "g": 1024**3, "gb": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            self.fail(f"日期应为 YYYY-MM-DD 格式：{value}", param, ctx)
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"不存在的日期：{value}", param, ctx)


class InputParam(click.ParamType):
    """A file or folder that exists, or an fsspec URL (s3://…, file://…; extract.remote)."""

    name = "INPUT"
    _local = click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Path | str:
        if is_url(value):
            return str(value)
        return self._local.convert(value, param, ctx)  # type: ignore[no-any-return]


class SizeParam(click.ParamType):
    name = "SIZE"

    def __init__(self, allow_zero: bool = False) -> None:
        self.allow_zero = allow_zero  # 0 means "no limit"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m or m.group(2).lower() not in SIZE_UNITS:
            self.fail(f"大小应为数字加可选单位（如 200MB、1.5GB、500k）：{value}", param, ctx)
        size = int(float(m.group(1)) * SIZE_UNITS[m.group(2).lower()])
        if size <= 0 and not (self.allow_zero and size == 0):
            self.fail(f"大小必须大于 0：{value}", param, ctx)
        return size


class FormatsParam(click.ParamType):
    name = "FORMATS"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        wanted = [f.strip().lower() for f in str(value).split(",") if f.strip()]
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown:
            self.fail(f"未知的输出格式：{','.join(unknown)}（可选 {','.join(FORMATS)}）", param, ctx)
        return tuple(dict.fromkeys(["csv", *wanted]))


class TqdmProgress:
    """Files done, rate and ETA on stderr; silent when stderr is not a terminal or --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def start(self, total: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="文件", file=sys.stderr, dynamic_ncols=True,
                            desc="解析")

    def advance(self, source_path: str, error: str | None) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_line(result: BatchResult) -> str:
    """The final line: documents, bulletins, items, in progress, overdue, failed."""
    line = (f"完成：文档 {result.documents} 份（通报 {result.bulletins} 份），"
            f"问题 {result.items} 条，整改中 {result.in_progress} 条，逾期 {result.overdue} 条，"
            f"失败 {result.failed} 个文件")
    extras = []
    if result.skipped:
        extras.append(f"跳过 {result.skipped} 个系统/临时文件")
    if result.duplicates:
        extras.append(f"另有 {result.duplicates} 个文件与前面的文件内容相同，未重复解析")
    if result.near_duplicates:
        extras.append(f"同一通报的副本 {result.near_duplicates} 个（只计一次）")
    if result.cached:
        extras.append(f"缓存命中 {result.cached} 个")
    return line + (f"（{'，'.join(extras)}）" if extras else "") + "。"


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("zhenggai: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # Dask configures its own loggers when imported, in this process and in its worker
    # processes: its config (read from the environment, inherited by workers) sets the level.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "debug" if verbose else "error")
    if not verbose:
        for noisy in ("distributed", "tornado", "asyncio", "bokeh"):
            logging.getLogger(noisy).setLevel(logging.ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zhenggai", message="%(prog)s %(version)s")
def cli() -> None:
    """zhenggai：把巡视/巡察整改进展情况的通报整理成表格。

    Turn Chinese rectification-progress bulletins into tables (CSV, and
    optionally xlsx, sqlite, jsonl, html). See ``zhenggai extract --help``.
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...", type=InputParam())
@click.option("--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Output folder for the tables (created if missing).")
@click.option("--as-of", "as_of", type=DateParam(), default=None,
              help="Reference date for `overdue` (YYYY-MM-DD). Default: today.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parallel worker processes. Default: number of cores.")
@click.option("--format", "formats", type=FormatsParam(), default="csv", show_default=True,
              help="Comma-separated output formats: csv,xlsx,sqlite,jsonl,html (csv is always written).")
@click.option("--strict", is_flag=True,
              help="Exit with status 1 if any file could not be read.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True),
              default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds allowed per file; a file over it is killed and listed as `timeout`.")
@click.option("--max-size", type=SizeParam(), default=None,
              show_default=f"{DEFAULT_MAX_SIZE_BYTES // 1024**2}MB, and text/html/csv 20MB, "
                           "docx/xlsx/doc/xls/ofd 100MB",
              help="Largest file read (e.g. 200MB, 1.5GB), one limit for every format (it replaces "
                   "the per-format defaults); larger ones are listed as `too_large`.")
@click.option("--max-memory", type=SizeParam(allow_zero=True), default=None,
              show_default=f"{DEFAULT_MAX_MEMORY_BYTES // 1024**3}GB",
              help="Memory each local worker may use (e.g. 8GB; 0 for no limit); a file that "
                   "needs more is listed as `too_large`.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Cache folder for parse results. Default: OUT/.cache.")
@click.option("--no-cache", is_flag=True,
              help="Parse every file again and do not store results in the cache.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run files in local worker processes or on a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://HOST:PORT); without it a local Dask cluster "
                   "is started. Only with --executor dask.")
@click.option("--headers", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Column headers of results.xlsx: English names or Chinese labels.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings on stderr.")
@click.option("-v", "--verbose", is_flag=True,
              help="Debug logging, with the traceback of any file that failed unexpectedly.")
def extract(inputs: tuple[Path | str, ...], out_dir: Path, as_of: date | None, workers: int | None,
            formats: tuple[str, ...], strict: bool, timeout_s: float, max_size: int | None,
            max_memory: int | None,
            cache_dir: Path | None, no_cache: bool, executor: str, scheduler: str | None,
            headers: str, quiet: bool, verbose: bool) -> int:
    """Extract tables from bulletins: zhenggai extract INPUT... [options].

    INPUT is any number of files and folders (searched recursively), local or
    fsspec URLs (s3://bucket/folder/, with the backend installed); every
    supported format (txt, docx, doc, pdf, html, images, and ledgers as xlsx,
    xls, et or csv) is recognised by content. Writes documents, sections, items,
    measures, checks, errors, summary, incomplete, themes and history as CSV to --out,
    plus the --format extras.
    Files that cannot be read are listed in errors.csv; the run still exits 0
    unless --strict. System files (.DS_Store, Thumbs.db, ~$ lock files) are
    listed there as `skipped` and do not count as failed. A file identical to
    an earlier one is parsed once and marked `duplicate_file` in checks.csv;
    another copy of one bulletin (another format, a re-post, a Traditional
    mirror) is marked `near_duplicate`, and the analysis counts the bulletin once.
    Unchanged files are not parsed again on the next run (cache in OUT/.cache).
    """
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler 只能与 --executor dask 一起使用")
    _configure_logging(verbose, quiet)
    progress = TqdmProgress(enabled=not quiet and sys.stderr.isatty())
    cache: bool | Path = False if no_cache else (cache_dir if cache_dir is not None else True)
    if executor == "local" and parses_everything(no_cache, cache_dir or out_dir / ".cache"):
        start_worker_server()
    elif executor == "dask" and not scheduler:
        from extract.cluster import start_local_workers

        start_local_workers()  # the cluster's workers come from that server: start it now
    from extract.api import parse_folder

    try:
        result = parse_folder(
            list(inputs), out=out_dir, formats=formats, headers=headers,
            as_of=as_of or date.today(), workers=workers or available_cpus(),
            timeout_s=timeout_s, max_size=max_size, cache=cache, executor=executor,
            scheduler=scheduler, progress=progress, verbose=verbose, max_memory=max_memory,
        ).result
    except BatchError as exc:
        progress.close()
        click.echo(f"zhenggai: {exc}", err=True)
        return EXIT_USAGE
    except OutputError as exc:
        progress.close()
        click.echo(f"zhenggai: {exc}", err=True)
        return EXIT_FAILED
    finally:
        progress.close()
    click.echo(summary_line(result))
    return EXIT_FAILED if strict and result.failed else EXIT_OK


def parses_everything(no_cache: bool, cache_dir: Path) -> bool:
    """Whether a local run will parse every file it finds (no cache to hit), so its workers
    can start at once."""
    return no_cache or not cache_dir.is_dir()


@cli.command()
@click.argument("out_dir", metavar="DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def report(out_dir: Path) -> int:
    """Write report.html from the CSV tables already in DIR and print its path.

    DIR is the --out folder of an earlier `zhenggai extract` run.
    """
    from extract.writers import html

    try:
        with folder_lock(out_dir) as folder:
            click.echo(str(html.write(folder)))
    except OutputError as exc:
        click.echo(f"zhenggai: {exc}", err=True)
        return EXIT_FAILED
    return EXIT_OK


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, to stop the run as Ctrl-C does."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def interrupted_message(exc: BaseException) -> str:
    """What an interrupted run tells the user: which signal, and what the output folder holds."""
    from extract.api import RunInterrupted

    what = "收到终止信号 SIGTERM" if _cause(exc, Terminated) else "已按 Ctrl-C"
    run = _cause(exc, RunInterrupted)  # click wraps it in Abort
    if run is not None and run.committed:
        return f"zhenggai: 运行被中断（{what}），但本次结果已完整写入 {run.out}。"
    where = f" {run.out} " if run is not None and run.out is not None else ""
    return f"zhenggai: 运行被中断（{what}）。本次未完成的输出已丢弃，输出文件夹{where}中原有的结果保持不变。"


E = TypeVar("E", bound=BaseException)


def _cause(exc: BaseException, kind: type[E]) -> E | None:
    """``exc`` or the first exception in its chain of causes that is a ``kind``."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``zhenggai`` console script and ``python -m extract``."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args or "--verbose" in args
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = cli.main(args=args, prog_name="zhenggai", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `zhenggai`: the help, as usage
        click.echo(exc.format_message(), err=True)
        code = EXIT_USAGE
    except click.UsageError as exc:
        click.echo(f"zhenggai: {exc.format_message()}", err=True)
        code = EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"zhenggai: {exc.format_message()}", err=True)
        code = exc.exit_code
    except (KeyboardInterrupt, click.Abort) as exc:
        # Cleaning up is done; a second Ctrl-C while printing must not print a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        click.echo(interrupted_message(exc), err=True)
        code = EXIT_TERMINATED if _cause(exc, Terminated) else EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if verbose:
            log.exception("内部错误")
        click.echo(f"zhenggai: 内部错误：{type(exc).__name__}: {exc}"
                   + ("" if verbose else "（加 --verbose 查看详情）"), err=True)
        code = EXIT_FAILED
    finally:
        if signal.getsignal(signal.SIGTERM) is _on_sigterm:
            signal.signal(signal.SIGTERM, previous)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def entry() -> None:
    """The ``zhenggai`` console script and ``python -m extract``: :func:`main`, in a process
    of its own that ends as soon as main is done."""
    try:
        main()
    finally:
        # Whatever the run wrote is closed by now. The interpreter's collections at exit
        # would walk every object the process loaded, to find nothing to close: ~45 ms,
        # ~60 ms more once distributed is loaded (measured). Out of the collector's sight,
        # they are only freed.
        gc.freeze()
