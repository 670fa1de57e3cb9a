"""One reader per format, chosen by the file's content, not its extension.

``read_file(path)`` detects the format from the bytes and dispatches to the
reader module, which returns a :class:`extract.document.SourceDocument` or
raises a named :class:`extract.errors.ReadError`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from extract.document import SourceDocument
from extract.errors import EmptyFile, UnsupportedFormat

from .detect import detect_format

#: format name -> module in this package whose ``read(path, data)`` reads it.
READERS: dict[str, str] = {
    "txt": "txt",
    "docx": "docx",
    "doc": "doc",
    "pdf": "pdf",
    "html": "html",
    "image": "image",
    "xlsx": "sheet",  # ledgers (整改台账): one reader for every spreadsheet kind
    "xls": "sheet",
    "et": "sheet",
    "csv": "sheet",
    "ofd": "ofd",
}


def read_file(path: str | Path, data: bytes | None = None, fmt: str | None = None) -> SourceDocument:
    """Read one input file into a SourceDocument (``fmt``: its detect_format result,
    when the caller has it already)."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    if not data or data.isspace():  # no copy of the bytes, unlike strip()
        raise EmptyFile("文件大小为 0 或只有空白")
    if fmt is None:
        fmt = detect_format(data, path.name)
    module_name = READERS.get(fmt)
    if module_name is None:
        raise UnsupportedFormat(f"无法识别的文件类型（{fmt}）")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        raise UnsupportedFormat(f"本版本尚不能读取 {fmt} 文件") from exc
    return module.read(path, data)  # type: ignore[no-any-return]
