"""Image reader (PNG, JPEG, TIFF incl. multi-page, BMP): every frame is OCR'd as a page.

Lines come from :mod:`extract.readers.ocr`; page numbers and running headers
are dropped and lines rejoined into paragraphs by the PDF layout rules.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from extract.document import SourceDocument
from extract.errors import (
    PIXELS_ADVICE,
    NoTextLayer,
    ReadError,
    TooLarge,
    UnreadableFile,
    too_many_pages,
)

from .layout import Line, lines_to_paragraphs, remove_furniture
from .ocr import image_dpi, measure_ocr_layout, ocr_pil

#: Frames beyond this are not read (a multi-page TIFF of a whole archive box).
MAX_FRAMES = 200
#: Largest image accepted, in pixels (a 600 dpi A3 scan is about 70 Mpx).
MAX_PIXELS = 120_000_000


def read(path: Path, data: bytes) -> SourceDocument:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge("图片像素过多，疑似异常文件", advice=PIXELS_ADVICE) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFile(f"图片无法解码（{type(exc).__name__}）") from exc

    pages: list[list[Line]] = []
    heights: list[float] = []
    try:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index >= MAX_FRAMES:
                raise too_many_pages("图片", MAX_FRAMES)
            if frame.width * frame.height > MAX_PIXELS:
                raise TooLarge("图片像素过多", advice=PIXELS_ADVICE)
            page = frame.copy()
            page.info.setdefault("dpi", image.info.get("dpi"))
            if page.info["dpi"] is None:
                del page.info["dpi"]
            pages.append(ocr_pil(page, index + 1))
            heights.append(frame.height * 72.0 / image_dpi(page))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - PIL/onnxruntime errors must not escape a reader
        raise UnreadableFile(f"图片读取或识别失败（{type(exc).__name__}: {exc}）") from exc

    cleaned = remove_furniture(pages, heights)
    blocks = []
    for lines in cleaned:
        if lines:
            blocks.extend(lines_to_paragraphs(lines, measure_ocr_layout(lines)))
    if not blocks:
        raise NoTextLayer("图片中没有识别出文字")
    return SourceDocument(path=str(path), source_format="image", blocks=blocks,
                          page_count=len(pages), notes=["文字由 OCR 识别"])
