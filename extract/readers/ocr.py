"""Offline OCR with rapidocr-onnxruntime (its models ship inside the wheel).

The engine is loaded once per process, on first use. A page image gives text
boxes; they are ordered top to bottom, then left to right, grouped into visual
lines, and handed to the same paragraph rules as the PDF text layer
(:func:`extract.readers.pdf.lines_to_paragraphs`), with margins measured on
the page itself. Coordinates are converted to PDF points (72 per inch) so the
thresholds mean the same thing for scans and text PDFs.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Sequence
from typing import Any

from extract.errors import MissingTool

from .pdf import Layout, Line, measure_layout

#: Boxes whose recognition score is below this are dropped (noise, speckles).
MIN_SCORE = 0.5
#: Two boxes share a line when their vertical centres differ less than this share of height.
SAME_LINE = 0.5
#: Assumed resolution of images that do not state one (dots per inch).
DEFAULT_DPI = 150.0

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def engine() -> Any:
    """The process-wide RapidOCR engine, created on first call."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                try:
                    from rapidocr_onnxruntime import RapidOCR
                except ImportError as exc:
                    raise MissingTool("未安装 OCR 组件 rapidocr-onnxruntime",
                                      advice="请执行 pip install rapidocr-onnxruntime 后重试。") from exc
                _ENGINE = RapidOCR()
    return _ENGINE


def ocr_array(image: Any, page: int, points_per_pixel: float) -> list[Line]:
    """OCR an RGB/grey numpy image; lines in PDF points, top to bottom."""
    result, _elapsed = engine()(image)
    boxes = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        boxes.append((min(xs) * points_per_pixel, min(ys) * points_per_pixel,
                      max(xs) * points_per_pixel, max(ys) * points_per_pixel, str(text).strip()))
    return boxes_to_lines(boxes, page)


def boxes_to_lines(boxes: Sequence[tuple[float, float, float, float, str]], page: int) -> list[Line]:
    """Group OCR boxes (x0, top, x1, bottom, text) into lines read left to right."""
    ordered = sorted(boxes, key=lambda b: ((b[1] + b[3]) / 2, b[0]))
    groups: list[list[tuple[float, float, float, float, str]]] = []
    for box in ordered:
        center = (box[1] + box[3]) / 2
        height = box[3] - box[1]
        if groups:
            last = groups[-1]
            last_center = statistics.fmean((b[1] + b[3]) / 2 for b in last)
            if abs(center - last_center) < SAME_LINE * max(height, 1.0):
                last.append(box)
                continue
        groups.append([box])
    lines = []
    for group in groups:
        group.sort(key=lambda b: b[0])
        text = ""
        for b in group:
            text = _join(text, b[4])
        height = statistics.median(b[3] - b[1] for b in group)
        lines.append(Line(text, group[0][0], group[-1][2], min(b[1] for b in group),
                          max(b[3] for b in group), round(height * 0.85, 1), page))
    return lines


def _join(a: str, b: str) -> str:
    if a and a[-1].isascii() and a[-1].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return a + " " + b
    return a + b


def measure_ocr_layout(lines: Sequence[Line]) -> Layout:
    """Margins of one OCR'd page (scans shift from page to page)."""
    layout = measure_layout([list(lines)])
    sizes = sorted(ln.size for ln in lines)
    size = sizes[len(sizes) // 2]
    return Layout(layout.left, layout.right, size, layout.pitch)


def ocr_pdf_page(page: Any, page_no: int, scale: float) -> list[Line]:
    """Render a pypdfium2 page at ``scale`` × 72 dpi and OCR it."""
    import numpy as np

    bitmap = page.render(scale=scale, grayscale=True)
    image = np.asarray(bitmap.to_pil().convert("RGB"))
    return ocr_array(image, page_no, 1.0 / scale)


def ocr_pil(image: Any, page_no: int) -> list[Line]:
    """OCR a PIL image (a scanned page), positions converted to points by its dpi."""
    import numpy as np

    dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
    try:
        dpi = float(dpi)
    except (TypeError, ValueError):
        dpi = DEFAULT_DPI
    if dpi < 50:
        dpi = DEFAULT_DPI
    return ocr_array(np.asarray(image.convert("RGB")), page_no, 72.0 / dpi)
