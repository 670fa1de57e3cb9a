"""Inputs given as fsspec URLs (``s3://bucket/通报/``, ``gcs://…``, ``file:///…``).

A URL names a file or a folder on storage that fsspec reaches with a backend
installed beside it (``s3fs`` for ``s3://``, ``gcsfs`` for ``gcs://``…; ``file``
and ``http`` need nothing more). A folder is listed recursively, names sorted;
each file keeps its URL as the path a worker opens, and its path relative to
the folder as ``source_path``, as for a local folder. Workers — local or on a
Dask cluster — open the URL themselves (with their own credentials), so file
bytes never travel through the client or the scheduler; the client reads each
file once to identify it (the content hash: cache key and duplicate finder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from extract.errors import ReadError, TooLarge, UnreadableFile

#: A URL with a protocol fsspec may know (a Windows drive letter ``C:\\`` is not one).
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{1,}://")
#: Chunk read when streaming a remote file, in bytes (1 MiB).
CHUNK_BYTES = 1024 * 1024
FSSPEC_ADVICE = "请安装 fsspec 及该协议的后端（如 s3:// 需要 pip install s3fs），并检查访问凭据。"


def is_url(path: object) -> bool:
    return isinstance(path, str) and URL.match(path) is not None


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise UnreadableFile(f"无法读取 {url}：未安装 fsspec", advice=FSSPEC_ADVICE) from exc
    try:
        return url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as exc:
        raise UnreadableFile(f"无法读取 {url}：{exc}", advice=FSSPEC_ADVICE) from exc


def list_url(url: str) -> Iterator[tuple[str, str]]:
    """(URL of each file, its source_path) under ``url``, sorted; a file URL is itself.
    Raises :class:`~extract.errors.ReadError` when the storage cannot be reached."""
    fs, root = _filesystem(url)
    protocol = url.split("://", 1)[0]
    try:
        if not fs.isdir(root):
            if not fs.exists(root):
                raise UnreadableFile(f"找不到 {url}", advice=FSSPEC_ADVICE)
            yield url, root.rstrip("/").rsplit("/", 1)[-1]
            return
        prefix = root.rstrip("/") + "/"
        for path in sorted(fs.find(root)):
            relative = path[len(prefix):] if path.startswith(prefix) else path.rsplit("/", 1)[-1]
            yield f"{protocol}://{path}", relative
    except ReadError:
        raise
    except (OSError, ValueError) as exc:  # network, permissions, a backend's own errors
        raise UnreadableFile(f"无法列出 {url}（{exc}）", advice=FSSPEC_ADVICE) from exc


def read_url(url: str, max_size: int) -> bytes:
    """The bytes of a remote file, refusing more than ``max_size``."""
    fs, path = _filesystem(url)
    try:
        with fs.open(path, "rb") as f:
            data = f.read(max_size + 1)
    except (OSError, ValueError) as exc:
        raise UnreadableFile(f"读取失败（{exc}）", advice=FSSPEC_ADVICE) from exc
    if len(data) > max_size:
        raise TooLarge(f"超过大小上限 {max_size} 字节")
    return bytes(data)
