"""Legacy Word .doc (and RTF) reader: LibreOffice converts to .docx, the docx reader reads it.

Each conversion runs ``soffice --headless --convert-to <target>`` with its own
temporary profile directory (``-env:UserInstallation``), so parallel workers do
not fight over one profile, and with a timeout. :func:`convert` serves every
format LibreOffice turns into one that is read natively (.doc/.rtf → .docx
here, .xls/.et → .xlsx in :mod:`extract.readers.sheet`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.document import SourceDocument
from extract.errors import EmptyFile, EncryptedFile, MissingTool, Timeout, UnreadableFile

from .docx import read_docx_blocks

#: Seconds a single conversion may take (a cold LibreOffice start is ~3–10 s).
CONVERT_TIMEOUT = 120
#: Programs tried, in order.
CONVERTERS = ("soffice", "libreoffice", "lowriter")
RTF_MAGIC = b"{\\rtf"
#: LibreOffice export filter for each target format :func:`convert` can produce.
EXPORT_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
}
#: OLE2 directory entries of an encrypted Word file.
ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def find_converter() -> str:
    for name in CONVERTERS:
        exe = shutil.which(name)
        if exe:
            return exe
    raise MissingTool("找不到 LibreOffice 的 soffice 程序，无法转换 .doc/.rtf/.xls/.et 文件")


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """Bytes of the ``target`` file (a key of EXPORT_FILTERS) LibreOffice makes from
    ``data``, which it opens as a file named ``input<suffix>``."""
    export_filter = EXPORT_FILTERS[target]
    exe = find_converter()
    with tempfile.TemporaryDirectory(prefix="zhenggai-convert-") as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / f"input{suffix}"
        src.write_bytes(data)
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        profile = tmp_path / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", export_filter, "--outdir", str(out_dir),
               str(src)]
        env = dict(os.environ, HOME=str(tmp_path))
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, env=env,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒") from exc
        except OSError as exc:
            raise MissingTool(f"无法运行 {exe}（{exc.strerror}）") from exc
        produced = out_dir / f"input.{target}"
        if not produced.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", errors="replace").strip()
            raise UnreadableFile(f"LibreOffice 无法转换该文件（{detail[:200] or proc.returncode}）")
        return produced.read_bytes()


def read(path: Path, data: bytes) -> SourceDocument:
    if any(marker in data[:65536] for marker in ENCRYPTION_MARKERS):
        raise EncryptedFile("Word 文件受密码保护")
    suffix = ".rtf" if data.lstrip()[:5] == RTF_MAGIC else ".doc"
    docx_bytes = convert(data, suffix, "docx")
    blocks = read_docx_blocks(docx_bytes)
    if not any(b.text.strip() for b in blocks):
        raise EmptyFile("Word 文档没有正文文字")
    return SourceDocument(path=str(path), source_format="doc", blocks=blocks,
                          notes=["由 LibreOffice 转换为 docx 后读取"])
