"""Word .docx reader: body paragraphs and tables in document order.

Reads ``word/document.xml`` with lxml (the package python-docx is built on)
rather than python-docx's object model, because three things bulletins need
are not exposed there:

- **automatic numbering**: a heading whose ``一、``/``（一）``/``1.`` comes from
  ``w:numPr`` + ``numbering.xml`` has no number in its text. The number is
  rendered here with Word's counters (per abstract list and level, restart
  rules, start overrides), so an auto-numbered bulletin segments like a typed one;
- **text boxes** (``w:txbxContent``), read once (the VML fallback copy in
  ``mc:Fallback`` is skipped);
- tables as grid rows (horizontal ``gridSpan``, vertical ``vMerge``) for
  :mod:`extract.readers.tables`.

Headers, footers, comments, footnotes and deleted revisions are not read.
``visible_chars`` is the text of every ``w:t`` of document.xml (VML fallback copies
left out), counted by a regex apart from the parse, for the pipeline's ``text_lost``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from extract.document import PARAGRAPH, TABLE_ROW, Block, SourceDocument, text_chars
from extract.errors import EmptyFile, EncryptedFile, ReadError, TooLarge, UnreadableFile

from .tables import linearize_tables, row_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "mc": MC}


def q(tag: str) -> str:
    """``w:tag`` as lxml's Clark name."""
    prefix, local = tag.split(":")
    return f"{{{ {'w': W, 'mc': MC}[prefix]}}}{local}"


#: A run's text in document.xml (``w:t``, not ``w:tab``/``w:tbl``/``w:tc``; deleted text is
#: ``w:delText``): what the visible-text estimate adds up.
RUN_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
#: The VML copy of a text box (``mc:Fallback``): the estimate counts the box once, as the reader.
VML_FALLBACK = re.compile(rb"<mc:Fallback\b.*?</mc:Fallback>", re.S)
#: Entities XML may use in text (no others are declared in document.xml: safety refuses them).
XML_TEXT_ENTITIES = ((b"&lt;", b"<"), (b"&gt;", b">"), (b"&quot;", b'"'), (b"&apos;", b"'"),
                     (b"&amp;", b"&"))

#: Largest uncompressed document.xml accepted (bytes): a zip bomb guard.
MAX_XML_BYTES = 200 * 1024 * 1024
#: Secure XML parser: no entity expansion, no network, no huge trees.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True)

# Elements whose text-bearing children are read in order inside a paragraph.
RUN_CONTAINERS = {q("w:r"), q("w:hyperlink"), q("w:ins"), q("w:smartTag"), q("w:fldSimple"),
                  q("w:sdt"), q("w:sdtContent"), q("w:customXml"), q("w:moveTo"), q("w:dir"),
                  q("w:bdo")}
SKIPPED = {q("w:del"), q("w:moveFrom"), q("w:rPr"), q("w:pPr"), q("w:instrText"),
           q("w:delText"), q("w:commentReference"), q("w:footnoteReference"),
           q("w:endnoteReference")}

CHINESE_DIGITS = "零一二三四五六七八九"
CHINESE_LEGAL = "零壹贰叁肆伍陆柒捌玖"
IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
IDEOGRAPH_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
#: Full-width punctuation after which Word's tab/space suffix adds nothing readable.
CLOSING_PUNCT = "、）)．.:："


def chinese_counting(n: int, digits: str = CHINESE_DIGITS, ten: str = "十",
                     hundred: str = "百", thousand: str = "千") -> str:
    """Word's chineseCounting: 1 一, 10 十, 11 十一, 20 二十, 105 一百零五."""
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n - 10] if n > 10 else "")
    parts: list[str] = []
    units = ((1000, thousand), (100, hundred), (10, ten), (1, ""))
    zero = False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero and parts:
                parts.append(digits[0])
            parts.append(digits[d] + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def roman(n: int) -> str:
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def letters(n: int) -> str:
    """Word's letter numbering: a … z, aa … zz."""
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in Word number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_counting(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return chinese_counting(n, CHINESE_LEGAL, "拾", "佰", "仟")
    if fmt == "ideographTraditional":
        return IDEOGRAPH_TRADITIONAL[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return IDEOGRAPH_ZODIAC[(n - 1) % 12]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return PAREN_DIGITS[n - 1] if 0 < n <= len(PAREN_DIGITS) else f"({n})"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerLetter":
        return letters(n)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and anything unknown


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart (1-based level; 0 = never); None = default
    legal: bool = False  # w:isLgl: all levels shown as decimal
    suffix: str = "tab"


@dataclass
class Numbering:
    """numbering.xml: list definitions and the running counters."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    num_to_abstract: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → start
    level_overrides: dict[str, dict[int, Level]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractId → ilvl → n
    started_nums: set[str] = field(default_factory=set)

    def level(self, num_id: str, ilvl: int) -> Level | None:
        if ilvl in self.level_overrides.get(num_id, {}):
            return self.level_overrides[num_id][ilvl]
        abstract_id = self.num_to_abstract.get(num_id)
        if abstract_id is None:
            return None
        return self.abstract.get(abstract_id, {}).get(ilvl)

    def render(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num_id, ilvl) and return the label (``一、``)."""
        abstract_id = self.num_to_abstract.get(num_id)
        lvl = self.level(num_id, ilvl)
        if abstract_id is None or lvl is None:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started_nums:
            self.started_nums.add(num_id)
            for o_lvl, start in self.overrides.get(num_id, {}).items():
                counters[o_lvl] = start - 1  # w:startOverride restarts this instance
        counters[ilvl] = counters.get(ilvl, lvl.start - 1) + 1
        for deeper in list(counters):
            if deeper <= ilvl:
                continue
            d_lvl = self.level(num_id, deeper)
            limit = deeper if d_lvl is None or d_lvl.restart is None else d_lvl.restart
            if ilvl < limit:
                del counters[deeper]
        label = lvl.text
        for k in range(9):
            token = f"%{k + 1}"
            if token not in label:
                continue
            k_lvl = self.level(num_id, k) or Level()
            value = counters.get(k, k_lvl.start)
            fmt = "decimal" if (lvl.legal and k_lvl.fmt not in ("none", "bullet")) else k_lvl.fmt
            label = label.replace(token, format_number(value, fmt))
        if lvl.fmt == "none" and "%" not in lvl.text:
            label = lvl.text
        if label and lvl.suffix != "nothing" and not label.endswith(tuple(CLOSING_PUNCT)):
            label += " "
        return label


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(q("w:val"), default)


def _parse_level(lvl: etree._Element) -> Level:
    level = Level()
    start = _val(lvl.find("w:start", NS))
    if start is not None and start.lstrip("-").isdigit():
        level.start = int(start)
    level.fmt = _val(lvl.find("w:numFmt", NS), "decimal") or "decimal"
    text_el = lvl.find("w:lvlText", NS)
    level.text = _val(text_el, "") or "" if text_el is not None else ""
    restart = _val(lvl.find("w:lvlRestart", NS))
    if restart is not None and restart.isdigit():
        level.restart = int(restart)
    legal = lvl.find("w:isLgl", NS)
    level.legal = legal is not None and _val(legal, "true") not in ("0", "false")
    level.suffix = _val(lvl.find("w:suff", NS), "tab") or "tab"
    return level


def parse_numbering(xml: bytes | None) -> Numbering:
    numbering = Numbering()
    if not xml:
        return numbering
    root = etree.fromstring(xml, XML_PARSER)
    for absn in root.findall("w:abstractNum", NS):
        aid = absn.get(q("w:abstractNumId"), "")
        levels: dict[int, Level] = {}
        for lvl in absn.findall("w:lvl", NS):
            ilvl = int(lvl.get(q("w:ilvl"), "0"))
            levels[ilvl] = _parse_level(lvl)
        numbering.abstract[aid] = levels
    for num in root.findall("w:num", NS):
        num_id = num.get(q("w:numId"), "")
        aid = _val(num.find("w:abstractNumId", NS))
        if aid is None:
            continue
        numbering.num_to_abstract[num_id] = aid
        for override in num.findall("w:lvlOverride", NS):
            ilvl = int(override.get(q("w:ilvl"), "0"))
            start = _val(override.find("w:startOverride", NS))
            if start is not None and start.lstrip("-").isdigit():
                numbering.overrides.setdefault(num_id, {})[ilvl] = int(start)
            lvl = override.find("w:lvl", NS)
            if lvl is not None:
                numbering.level_overrides.setdefault(num_id, {})[ilvl] = _parse_level(lvl)
    return numbering


def parse_style_numbering(xml: bytes | None) -> dict[str, tuple[str | None, int | None]]:
    """Paragraph style id → (numId, ilvl) it applies, following ``w:basedOn``."""
    if not xml:
        return {}
    root = etree.fromstring(xml, XML_PARSER)
    direct: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in root.findall("w:style", NS):
        sid = style.get(q("w:styleId"), "")
        base = _val(style.find("w:basedOn", NS))
        if base:
            based_on[sid] = base
        num_pr = style.find("w:pPr/w:numPr", NS)
        if num_pr is not None:
            ilvl = _val(num_pr.find("w:ilvl", NS))
            direct[sid] = (_val(num_pr.find("w:numId", NS)), int(ilvl) if ilvl else None)
    resolved: dict[str, tuple[str | None, int | None]] = {}
    for sid in set(direct) | set(based_on):
        seen: set[str] = set()
        cur: str | None = sid
        while cur is not None and cur not in seen:
            if cur in direct:
                resolved[sid] = direct[cur]
                break
            seen.add(cur)
            cur = based_on.get(cur)
    return resolved


@dataclass
class DocxReader:
    numbering: Numbering
    style_numbering: dict[str, tuple[str | None, int | None]]
    blocks: list[Block] = field(default_factory=list)

    # --- paragraphs -------------------------------------------------------
    def number_label(self, p: etree._Element) -> str:
        num_id: str | None = None
        ilvl: int | None = None
        style = _val(p.find("w:pPr/w:pStyle", NS))
        if style and style in self.style_numbering:
            num_id, ilvl = self.style_numbering[style]
        num_pr = p.find("w:pPr/w:numPr", NS)
        if num_pr is not None:
            direct_num = _val(num_pr.find("w:numId", NS))
            direct_lvl = _val(num_pr.find("w:ilvl", NS))
            if direct_num is not None:
                num_id = direct_num
            if direct_lvl is not None and direct_lvl.isdigit():
                ilvl = int(direct_lvl)
        if not num_id or num_id == "0":
            return ""
        return self.numbering.render(num_id, ilvl or 0)

    def paragraph_texts(self, p: etree._Element) -> tuple[list[str], list[etree._Element]]:
        """Lines of a paragraph (split at ``w:br``) and the text-box paragraphs inside it."""
        lines: list[str] = [""]
        boxes: list[etree._Element] = []

        def walk(el: etree._Element) -> None:
            for child in el:
                tag = child.tag
                if not isinstance(tag, str) or tag in SKIPPED:
                    continue
                if tag == q("w:t"):
                    lines[-1] += child.text or ""
                elif tag == q("w:tab") or tag == q("w:ptab"):
                    lines[-1] += "\t"
                elif tag in (q("w:br"), q("w:cr")):
                    lines.append("")
                elif tag == q("w:noBreakHyphen"):
                    lines[-1] += "-"
                elif tag == q("w:sym"):
                    char = child.get(q("w:char"), "")
                    if char:
                        try:
                            code = int(char, 16)
                            if code >= 0xF000:  # symbol-font private range
                                code -= 0xF000
                            lines[-1] += chr(code) if code >= 0x20 else ""
                        except ValueError:
                            pass
                elif tag == q("mc:AlternateContent"):
                    choice = child.find("mc:Choice", NS)
                    target = choice if choice is not None else child.find("mc:Fallback", NS)
                    if target is not None:
                        boxes.extend(target.iter(q("w:txbxContent")))
                elif tag in (q("w:drawing"), q("w:pict"), q("w:object")):
                    boxes.extend(child.iter(q("w:txbxContent")))
                elif tag in RUN_CONTAINERS:
                    walk(child)

        walk(p)
        return lines, boxes

    def read_paragraph(self, p: etree._Element) -> list[str]:
        """Text lines of a paragraph, its list number rendered in front."""
        label = self.number_label(p)
        lines, boxes = self.paragraph_texts(p)
        if label:
            lines[0] = label + lines[0].lstrip()
        out = [ln.strip() for ln in lines if ln.strip()]
        for box in boxes:
            for el in self.iter_body(box):
                if el.tag == q("w:p"):
                    out.extend(self.read_paragraph(el))
        return out

    # --- tables -----------------------------------------------------------
    def read_table(self, tbl: etree._Element) -> None:
        above: dict[int, str] = {}  # grid column → text of the cell above (vMerge)
        for tr in tbl.findall("w:tr", NS):
            cells: list[str] = []
            col = 0
            for tc in tr.findall("w:tc", NS) + tr.findall("w:sdt/w:sdtContent/w:tc", NS):
                span_val = _val(tc.find("w:tcPr/w:gridSpan", NS), "1") or "1"
                span = int(span_val) if span_val.isdigit() else 1
                v_merge = tc.find("w:tcPr/w:vMerge", NS)
                texts: list[str] = []
                for el in self.iter_body(tc):
                    if el.tag == q("w:p"):
                        texts.extend(self.read_paragraph(el))
                    elif el.tag == q("w:tbl"):
                        texts.extend(self.nested_table_text(el))
                text = "\n".join(texts)
                if v_merge is not None and _val(v_merge, "continue") == "continue":
                    text = ""  # continuation of a vertically merged cell: tables.py fills down
                else:
                    above[col] = text
                cells.append(text)
                cells.extend([""] * (span - 1))
                col += span
            if not any(c.strip() for c in cells):
                continue
            self.blocks.append(Block(row_text(cells), page=None, kind=TABLE_ROW, cells=tuple(cells)))

    def nested_table_text(self, tbl: etree._Element) -> list[str]:
        rows: list[str] = []
        for tr in tbl.iter(q("w:tr")):
            cells = []
            for tc in tr.findall("w:tc", NS):
                parts = [t for p in tc.iter(q("w:p")) for t in self.read_paragraph(p)]
                cells.append("".join(parts))
            rows.append(" | ".join(cells))
        return rows

    # --- body -------------------------------------------------------------
    def iter_body(self, parent: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs and tables under ``parent`` in order, looking through content controls."""
        for child in parent:
            if child.tag in (q("w:p"), q("w:tbl")):
                yield child
            elif child.tag in (q("w:sdt"), q("w:sdtContent"), q("w:customXml"), q("w:ins")):
                yield from self.iter_body(child)

    def read_body(self, body: etree._Element) -> None:
        for el in self.iter_body(body):
            if el.tag == q("w:p"):
                for line in self.read_paragraph(el):
                    self.blocks.append(Block(line, page=None, kind=PARAGRAPH))
            else:
                self.read_table(el)


def _zip_member(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:
        raise TooLarge(f"docx 内部文件 {name} 解压后超过 {MAX_XML_BYTES // 1024 // 1024} MB")
    return zf.read(name)


def document_text_chars(document: bytes) -> int:
    """Characters (not counting whitespace) of the ``w:t`` text of document.xml, by regex."""
    text = b"".join(RUN_TEXT.findall(VML_FALLBACK.sub(b"", document)))
    for entity, char in XML_TEXT_ENTITIES:
        text = text.replace(entity, char)
    return text_chars(text.decode("utf-8", errors="replace"))


def read_docx_blocks(data: bytes) -> list[Block]:
    """All body blocks of a .docx (problem tables linearized); only ReadError escapes."""
    return read_docx(data)[0]


def read_docx(data: bytes) -> tuple[list[Block], int]:
    """All body blocks of a .docx (problem tables linearized) and the estimate of its visible
    characters (:func:`document_text_chars`); only ReadError escapes."""
    try:
        return _read_docx_blocks(data)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed XML values (int(), lookups …)
        raise UnreadableFile(f"docx 内容不合规范（{type(exc).__name__}: {exc}）") from exc


def _read_docx_blocks(data: bytes) -> tuple[list[Block], int]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise EncryptedFile("Word 文件受密码保护（加密的 docx 以 OLE 容器保存）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            document = _zip_member(zf, "word/document.xml")
            if document is None:
                raise UnreadableFile("docx 中缺少 word/document.xml")
            numbering_xml = _zip_member(zf, "word/numbering.xml")
            styles_xml = _zip_member(zf, "word/styles.xml")
        root = etree.fromstring(document, XML_PARSER)
        reader = DocxReader(parse_numbering(numbering_xml), parse_style_numbering(styles_xml))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise UnreadableFile(f"docx 压缩包损坏（{type(exc).__name__}）") from exc
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"docx 的 XML 内容损坏（{exc.msg}）") from exc
    except RuntimeError as exc:  # zipfile: encrypted member, unsupported compression
        raise UnreadableFile(f"docx 压缩包无法解压（{exc}）") from exc
    body = root.find("w:body", NS)
    if body is None:
        raise UnreadableFile("docx 中没有正文（w:body）")
    reader.read_body(body)
    return linearize_tables(reader.blocks), document_text_chars(document)


def read(path: Path, data: bytes) -> SourceDocument:
    blocks, visible = read_docx(data)
    if not any(b.text.strip() for b in blocks):
        raise EmptyFile("Word 文档没有正文文字")
    return SourceDocument(path=str(path), source_format="docx", blocks=blocks,
                          visible_chars=visible)
