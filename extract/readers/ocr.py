"""Offline OCR with rapidocr-onnxruntime (its models ship inside the wheel).

The engine is loaded once per process, on first use. rapidocr does the image
work (detector pre- and post-processing, line crops, CTC decoding); its two
models, the text detector and the line recogniser, are run by OpenVINO when it
is installed (same models, same text, about half the time of onnxruntime on
x86 CPUs). A page image gives text boxes; they are ordered top to bottom, then
left to right, grouped into visual lines, and handed to the same paragraph
rules as the PDF text layer
(:func:`extract.readers.layout.lines_to_paragraphs`), with margins measured on
the page itself. Coordinates are converted to PDF points (72 per inch) so the
thresholds mean the same thing for scans and text PDFs.
"""

from __future__ import annotations

import os
import re
import statistics
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extract.errors import MissingTool

from .layout import Layout, Line, is_cjk, measure_layout

#: Longest side (px) the text detector works at. rapidocr's default (shortest side ≥ 736)
#: missed a line on the sample scan; capping the longest side found every line, faster.
#: (rapidocr-onnxruntime 1.4 replaces this value in "max" mode by 960/1500/2000 after the
#: image's longest side, so a page rendered at OCR_SCALE 2.0, 1685 px, is detected at full
#: size. Really capping at 1280 or 1504 px lost 4–6 characters on the seed scan.)
DET_LIMIT_SIDE = 1280
#: How far text boxes are grown around the detected glyphs. Recognition cost grows with the
#: box's width/height ratio; 2.2 (rapidocr: 1.6) cut CPU time ~20 % on the scanned seed page
#: and matched its text layer better (0.9982 vs 0.9973 similarity).
DET_UNCLIP_RATIO = 2.2
#: Boxes whose recognition score is below this are dropped (noise, speckles).
MIN_SCORE = 0.5
#: Two boxes share a line when their vertical centres differ less than this share of height.
SAME_LINE = 0.5
#: OCR box heights vary with the glyphs: sizes within this share of the body size are equal.
OCR_SIZE_TOLERANCE = 0.45  # a line of two glyphs (级。) has a much lower box than a full one
#: OCR drops line-final punctuation now and then; a line ends its paragraph only when it
#: stops this many ems short of the right margin (paragraph starts are indented anyway).
OCR_SHORT_LINE = 2.0
#: Lines with at least this many character widths (em) get their size from their width.
MIN_EMS_FOR_WIDTH = 4.0
#: Font size as a share of an OCR box height (the detector pads boxes).
BOX_HEIGHT_TO_SIZE = 0.8
#: Assumed resolution of images that do not state one (dots per inch).
DEFAULT_DPI = 150.0
#: A stated resolution below this is a placeholder (72 dpi screenshots excepted), not a scan.
MIN_DPI = 50.0

#: A speck read as punctuation in front of a line's first character (scan noise): no
#: Chinese line starts with these.
SPECK = re.compile(r"^[·.,'`、。，：:；;]+(?=[\u4e00-\u9fff\d（(])")
#: A speck read as a comma after a sentence's full stop at the end of a line, or as a
#: Western dot after a Chinese character (no line of the 83 sample texts ends so; the 16 pt
#: fax-style TIFF gave "开展全面." and, with OpenVINO, "二、下一步工作打算.").
TRAILING_SPECK = re.compile(r"(?<=[。！？；])[，、,.·'`]+$|(?<=[\u4e00-\u9fff])[.·'`]+$")

#: Runtime for the two models: "openvino" (onnxruntime when OpenVINO is not installed) or
#: "onnxruntime" (rapidocr's own sessions). benchmarks/bench_ocr.py, dense 10.5 pt seed scan:
#: 9.3 → 5.0 s per page wall, 18.4 → 9.3 s CPU, the same text (16 pt TIFF: 3.6 → 1.9 s,
#: one speck more read as a dot).
#: One 48×1536 px line takes 0.22 s in OpenVINO 2026.4 on one core, 0.33–0.37 s in
#: onnxruntime 1.32 (whose thread pool also spins: 18 CPU s per page on 2 threads, 14.6 on
#: one). OpenVINO fuses the model's 88 Mul / 97 Add / 28 Clip nodes into its convolutions;
#: its two threads give 1.9x (wall 0.53 × CPU), so pages are not worth running side by side.
RUNTIME = os.environ.get("ZHENGGAI_OCR_RUNTIME", "openvino")
#: OpenVINO's latency setting: every core on one call (rapidocr makes one call at a time). Its
#: throughput setting with rapidocr's batches spread over one stream per core was ≤ 5 %
#: faster (noise on a shared machine) for a recogniser of our own; not worth the code.
LATENCY = {"PERFORMANCE_HINT": "LATENCY"}

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
                rapid = RapidOCR(det_limit_side_len=DET_LIMIT_SIDE, det_limit_type="max",
                                 det_unclip_ratio=DET_UNCLIP_RATIO)
                # float32 constants keep the detector's input normalisation in float32 (the
                # same numbers; 0.20 → 0.06 s per 2 Mpx page instead of float64 arithmetic)
                if hasattr(rapid.text_det, "mean") and hasattr(rapid.text_det, "std"):
                    rapid.text_det.mean = _float32(rapid.text_det.mean)
                    rapid.text_det.std = _float32(rapid.text_det.std)
                if RUNTIME == "openvino":
                    _use_openvino(rapid)
                _ENGINE = rapid
    return _ENGINE


def _float32(values: Any) -> Any:
    import numpy as np

    return np.asarray(values, dtype=np.float32)


def _use_openvino(rapid: Any) -> None:
    """Run rapidocr's detector and recogniser models with OpenVINO, if it is installed."""
    try:
        import openvino as ov
    except ImportError:
        return  # onnxruntime it is: slower, same models, same text
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"  # the wheel's own models
    det, rec = models / "ch_PP-OCRv4_det_infer.onnx", models / "ch_PP-OCRv4_rec_infer.onnx"
    if not (hasattr(rapid.text_det, "infer") and hasattr(rapid.text_rec, "session")
            and det.is_file() and rec.is_file()):
        return  # a rapidocr release laid out otherwise than 1.4: keep its own sessions
    core = ov.Core()
    rapid.text_det.infer = _OpenVinoModel(core.compile_model(str(det), "CPU", LATENCY))
    # rapidocr's batches of 6 line crops are kept: 3 was 2 % faster but read a character worse
    # on the seed scan and two on the TIFF (batches pad crops to their widest), 12 was slower.
    rapid.text_rec.session = _OpenVinoModel(core.compile_model(str(rec), "CPU", LATENCY))


class _OpenVinoModel:
    """A compiled OpenVINO model called like rapidocr's onnxruntime session."""

    def __init__(self, compiled: Any) -> None:
        self._request = compiled.create_infer_request()
        self._lock = threading.Lock()  # one request: threads sharing the engine take turns

    def __call__(self, batch: Any) -> list[Any]:
        with self._lock:
            self._request.infer([batch])
            return [self._request.get_output_tensor(0).data.copy()]


def ocr_array(image: Any, page: int, points_per_pixel: float) -> list[Line]:
    """OCR an RGB/grey numpy image; lines in PDF points, top to bottom."""
    result, _elapsed = engine()(image, use_cls=False)  # bulletins are upright: no angle model
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
        text = TRAILING_SPECK.sub("", SPECK.sub("", text))
        lines.append(Line(text, group[0][0], group[-1][2], min(b[1] for b in group),
                          max(b[3] for b in group), round(_font_size(group, text), 1), page))
    return lines


def _font_size(group: Sequence[tuple[float, float, float, float, str]], text: str) -> float:
    """Font size of an OCR line: from the advance of its characters (CJK glyphs are square),
    since box heights carry detector padding; short lines fall back to the box height."""
    ems = sum(1.0 if is_cjk(ch) else 0.5 for ch in text if not ch.isspace())
    width = sum(b[2] - b[0] for b in group)
    if ems >= MIN_EMS_FOR_WIDTH:
        return width / ems
    return statistics.median(b[3] - b[1] for b in group) * BOX_HEIGHT_TO_SIZE


def _join(a: str, b: str) -> str:
    if a and a[-1].isascii() and a[-1].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return a + " " + b
    return a + b


def measure_ocr_layout(lines: Sequence[Line]) -> Layout:
    """Margins of one OCR'd page (scans shift from page to page; box heights vary)."""
    sizes = sorted(ln.size for ln in lines)
    size = sizes[len(sizes) // 2]
    return measure_layout([list(lines)], size_tolerance=size * OCR_SIZE_TOLERANCE,
                          short_line=OCR_SHORT_LINE)


def ocr_pdf_page(page: Any, page_no: int, scale: float) -> list[Line]:
    """Render a pypdfium2 page at ``scale`` × 72 dpi and OCR it."""
    import numpy as np

    bitmap = page.render(scale=scale, grayscale=True)
    image = np.asarray(bitmap.to_pil().convert("RGB"))
    return ocr_array(image, page_no, 1.0 / scale)


def image_dpi(image: Any) -> float:
    """Resolution an image states, or DEFAULT_DPI when absent or implausible."""
    dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))
    try:
        value = float(dpi[0] if isinstance(dpi, tuple | list) else dpi)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return value if value >= MIN_DPI else DEFAULT_DPI


def ocr_pil(image: Any, page_no: int) -> list[Line]:
    """OCR a PIL image (a scanned page), positions converted to points by its dpi."""
    import numpy as np

    return ocr_array(np.asarray(image.convert("RGB")), page_no, 72.0 / image_dpi(image))
