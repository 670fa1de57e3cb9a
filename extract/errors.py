"""Named errors for input files that cannot be read.

Each carries a stable ``name`` (the ``error`` column of errors.csv) and a Chinese
message telling the user what to do. Readers raise them; the batch runner
catches them per file and writes one errors.csv row.
"""

from __future__ import annotations


class ReadError(Exception):
    """An input file could not be turned into a document."""

    name = "unreadable"
    advice = "请确认文件未损坏，可用原软件打开后另存一份再试。"

    def __init__(self, detail: str = "", advice: str | None = None) -> None:
        self.detail = detail
        if advice is not None:
            self.advice = advice
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.detail}。{self.advice}" if self.detail else self.advice


class UnreadableFile(ReadError):
    name = "unreadable"


class EncryptedFile(ReadError):
    name = "encrypted"
    advice = "文件已加密或有打开密码，请先解除密码保护后再处理。"


class EmptyFile(ReadError):
    name = "empty"
    advice = "文件为空或没有可识别的文字，请检查下载是否完整。"


class UnsupportedFormat(ReadError):
    name = "unsupported_format"
    advice = ("不支持的文件格式；支持 txt、docx、doc、pdf、ofd、html、图片（png/jpg/tiff）"
              "和整改台账表格（xlsx、xls、WPS et、csv）。")


class NoTextLayer(ReadError):
    name = "no_text_layer"
    advice = "文件（PDF 或 OFD）没有可用的文字层，且未能识别出文字（OCR），请提供清晰的扫描件或文字版。"


class TooLarge(ReadError):
    name = "too_large"
    advice = "文件超过大小上限，可用 --max-size 调高上限，或拆分文件后再试。"


class RunLimit(TooLarge):
    """Over a limit the run sets (a format's size ceiling, a worker's memory), not a fault of
    the file alone: the same file may pass in a run with other limits, so it is never cached."""


#: Advice for a file whose parse needed more memory than a worker may use.
MEMORY_ADVICE = ("可用 --max-memory 调高每个工作进程的内存上限（如 --max-memory 8GB，0 表示不限），"
                 "或拆分文件后再试；异常大的文本（如整份文件只有一行）多为导出错误，请检查原文件。")


def format_size(n: int) -> str:
    """A size for a message: MB from 1 MiB up, else bytes."""
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} 字节"


#: Advice for an image with more pixels than a reader decodes (a decompression bomb guard):
#: ``--max-size`` bounds the file's bytes, not its pixels, so raising it would not help.
PIXELS_ADVICE = ("图片像素数超过上限（防止“解压炸弹”，与 --max-size 无关）；"
                 "如确属正常扫描件，请降低分辨率或缩小尺寸后再试。")


def too_many_pages(kind: str, limit: int, count: int | None = None) -> TooLarge:
    """A PDF, OFD or multi-page image with more pages than a reader takes (a scanned book,
    not a bulletin). The advice names the page limit, not ``--max-size``, which does not
    raise it."""
    found = f"共 {count} 页，" if count is not None else ""
    return TooLarge(f"{kind} {found}超过页数上限 {limit} 页",
                    advice=f"页数上限为 {limit} 页（与 --max-size 无关，调高 --max-size 没有用）；"
                           f"请把文件拆分成每份不超过 {limit} 页后再处理。")


class Timeout(ReadError):
    name = "timeout"
    advice = "处理超时，可用 --timeout 调高时限后单独重试该文件。"


class SkippedFile(ReadError):
    """A system or temporary file that is not a document (not a failure)."""

    name = "skipped"
    advice = "系统或临时文件（如 .DS_Store、Thumbs.db、Office 锁文件 ~$*），已跳过，无需处理。"


class MissingTool(ReadError):
    name = "missing_tool"
    advice = ("缺少转换程序，请安装 LibreOffice（Debian: apt-get install libreoffice-writer-nogui"
              " libreoffice-calc-nogui）。")
