"""Normalization, once, here: from reader blocks to one normalized text.

Two strings of the same length come out:

* ``text``  – what char offsets point into and what output fields are cut
  from: Simplified characters, page furniture removed, spaces inside dates and
  between CJK characters removed, paragraphs cut at page ends rejoined,
  ``**`` residue and HTML entity debris removed. Full-width punctuation is
  kept as written.
* ``match`` – ``text`` with full-width ASCII forms folded to half-width
  (``（一）`` → ``(一)``, ``：`` → ``:``, ``１`` → ``1``), character for
  character, so a match in ``match`` is a span in ``text``.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from extract import chrome
from extract.document import TABLE_ROW, Block
from extract.usercache import prune, user_cache_dir, write_atomic
from extract.width import HALF_OF, WIDTH_FOLD, fold_width  # noqa: F401 - fold_width is part of this module's API

# --- character-level cleanup -------------------------------------------------


#: HTML entity debris left by bad scrapes: ``&rdquo;`` or ``?rdquo;`` (the & lost).
ENTITY_DEBRIS = regex.compile(r"[&?](?P<name>[lr]dquo|[lr]squo|nbsp|mdash|ndash|hellip|middot|quot|amp|lt|gt|emsp|ensp);")
ENTITY_NAMES = {"ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "nbsp": " ", "mdash": "—",
                "ndash": "–", "hellip": "…", "middot": "·", "quot": '"', "amp": "&", "lt": "<",
                "gt": ">", "emsp": " ", "ensp": " "}
#: Pinyin inserted after characters on mirror sites: 統(tǒng)一 → 統一, 巡察(xún chá)組 → 巡察組.
#: A tone mark is required.
PINYIN_SYLLABLE = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}"
#: The tone-marked letters one of which every PINYIN_RESIDUE match holds.
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
PINYIN_RESIDUE = regex.compile(
    rf"(?<=\p{{Han}})[(（](?=[a-zü ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]){PINYIN_SYLLABLE}(?: {PINYIN_SYLLABLE}){{0,3}}[)）]")
#: Markdown emphasis residue from converters: **五是** → 五是.
EMPHASIS_RESIDUE = regex.compile(r"\*\*")
#: Doubled punctuation from bad scrapes: ,, 。。 ，， (``re``: searched on every line, ~2× faster
#: than ``regex`` here).
DOUBLED_PUNCT = re.compile(r"([,，。；;、])\1+")
#: Zero-width and control characters that only disturb matching. (``re``: a class of
#: listed characters is searched ~3× faster than by ``regex``, ~25 µs over a bulletin.)
INVISIBLES = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Whitespace between two CJK characters/punctuation or between CJK and a digit
#: (but not before a heading number such as " 1." in a flattened text).
CJK = r"[\p{Han}\p{Han}\u3000-\u303f\uff00-\uffef“”‘’《》—…·]"
SPACE_IN_CJK = regex.compile(rf"(?<={CJK})[ \t\u00a0\u3000]+(?={CJK})")
SPACE_CJK_DIGIT = regex.compile(rf"(?<={CJK})[ \t\u00a0\u3000]+(?=[0-9０-９]+(?![0-9０-９])(?!\s*[.．、](?![0-9０-９])))|(?<=[0-9０-９%])[ \t\u00a0\u3000]+(?={CJK})")
SPACE_RUN = regex.compile(r"[ \t\u00a0]{2,}")

# --- paragraph-level furniture -------------------------------------------------

#: A paragraph that is only a page number: — 3 —, - 3 -, 第3页, 第 3 页 共 8 页, 3/8.
PAGE_NUMBER_LINE = regex.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,3})\s*$")

#: Terminal punctuation: a paragraph ending with one of these is complete.
TERMINAL = "。！？；：!?;:…"
#: Paragraph starts that never continue the previous paragraph (headings, labels, lists).
NEW_PARAGRAPH_START = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,3}\s*[.．、]"
    r"|[①-⑳]|[一二三四五六七八九十]+是|问题\s*[\d一二三四五六七八九十]+|•|·|[-–]\s|【"
    r"|(?:整改|完成|承诺|责任|牵头|配合)[\p{Han}]{0,6}[:：]|附件|抄送|联系电话|发布|信息索引|索引号)")
#: Leading characters that decide whether a paragraph starts with a marker or label.
HEAD_CHARS = 16
#: A numbered line shorter than this without a 。 is a heading, never cut.
HEADING_LINE = 60
#: A paragraph this short with no sentence punctuation is a heading, a headline or a
#: signature, not a paragraph cut at a page end (a body paragraph of this length has a comma).
SHORT_LINE = 41
#: Titles of the document end so; a line ending so is never continued.
TITLE_END = regex.compile(r"(?:通报|报告|情况|公告|通知|公示|说明)\s*$")


#: A paragraph cut at a page end stops after a Han character or a mid-sentence mark.
CUT_END = regex.compile(r"[\p{Han}，、,“《（(—]$")
#: Signature lines: an organisation's name standing alone.
SIGNATURE_END = regex.compile(r"(?:党组|党委|党工委|委员会|局|办公室|政府|公司|集团|医院|学校|学院|大学|中心|镇|乡|街道)$")
SIGNATURE_LINE = 40


@dataclass
class NormalizedText:
    text: str
    match: str
    #: (offset, page) breakpoints: the page in force from each offset on.
    page_marks: list[tuple[int, int | None]] = field(default_factory=list)
    #: (start, end) of each paragraph in ``text``.
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    traditional: bool = False
    #: What the web-page chrome around the text said (title, publish date), removed from it.
    page: chrome.PageMeta = field(default_factory=chrome.PageMeta)
    _mark_offsets: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def page_at(self, offset: int) -> int | None:
        if not self.page_marks:
            return None
        if len(self._mark_offsets) != len(self.page_marks):  # asked per item and measure
            self._mark_offsets = [m[0] for m in self.page_marks]
        i = bisect.bisect_right(self._mark_offsets, offset) - 1
        return self.page_marks[max(i, 0)][1]




@lru_cache(maxsize=1)
def _opencc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


HAN = regex.compile(r"\p{Han}")
#: Runs of Han characters: counting by runs makes one string per run, not one per character.
HAN_RUN = regex.compile(r"\p{Han}+")
#: Share of Han characters that change under t2s above which a text is Traditional.
TRADITIONAL_SHARE = 0.03


def running_han(text: str) -> Iterator[int]:
    """The number of Han characters in ``text`` so far, after each run of them: the last
    is ``len(HAN.findall(text))``. A share of them is decided as soon as it is known
    (a string per run, not per character, and no more runs than needed)."""
    total = 0
    for m in HAN_RUN.finditer(text):
        total += m.end() - m.start()
        yield total


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert Traditional text to Simplified, character for character.

    Only texts where enough characters change are converted (OpenCC would also
    rewrite a few legitimate Simplified characters).
    """
    if not _has_traditional(text):
        return text, False  # the common case, without running OpenCC over the whole text
    converted = _t2s_chars(text)
    if converted == text:
        return text, False
    changed = _changed_chars(text, converted)
    han = 0
    for han in running_han(text):  # the share only falls as han grows
        if changed / han < TRADITIONAL_SHARE:
            return text, False
    if not han:
        return text, False
    return converted, True


#: Code points OpenCC may convert: CJK Unified Ideographs, extension A and B, compatibility.
_HAN_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))


#: Layout of the t2s file (bumped when it changes).
T2S_LAYOUT = 1
#: A dictionary file named in an OpenCC configuration ("file": "TSCharacters.ocd2").
OPENCC_FILE = re.compile(r'"file"\s*:\s*"([^"/\\]+)"')


@lru_cache(maxsize=1)
def _traditional_table() -> Any:
    """A lookup table over all code points (1.1 MB), True where t2s changes the character
    on its own (~4,600 characters), built once per process: from this user's t2s file
    (< 1 ms), which the first run makes by converting every Han character (~50 ms).

    A text with none of them is Simplified: phrase conversions can still touch a
    character or two (看著 → 看着), far below TRADITIONAL_SHARE."""
    import numpy as np

    path = _t2s_path()
    codes = _read_t2s(path) if path is not None else None
    if codes is None:
        codes = _t2s_changed_codes()
        if path is not None:
            body = codes.astype("<u4").tobytes()
            write_atomic(path, (zlib.crc32(body).to_bytes(4, "little"), body))
            prune(path, "t2s-*.u32")
    table = np.zeros(0x110000, dtype=bool)
    table[codes] = True
    return table


def _t2s_changed_codes() -> Any:
    """The code points t2s changes on its own, converting every Han character once."""
    import numpy as np

    chars = [chr(cp) for a, b in _HAN_RANGES for cp in range(a, b)]
    converted = _opencc().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # an OpenCC that joins across lines: test one by one
        converted = [_opencc().convert(c) for c in chars]
    return np.array([ord(a) for a, b in zip(chars, converted, strict=True) if a != b],
                    dtype=np.uint32)


def _t2s_path() -> Path | None:
    """This user's t2s file, named by OpenCC's t2s configuration and dictionaries (None
    where OpenCC's files cannot be read: the table is then built every time)."""
    import hashlib
    from importlib.util import find_spec

    digest = hashlib.sha256()
    try:  # found, not imported: importing OpenCC loads its library (~30 ms)
        spec = find_spec("opencc")
        share = Path(spec.origin).parent / "clib" / "share" / "opencc"  # type: ignore[union-attr,arg-type]
        config = (share / "t2s.json").read_bytes()
        digest.update(config)
        for name in sorted(set(OPENCC_FILE.findall(config.decode("utf-8")))):
            digest.update((share / name).read_bytes())
    except (OSError, TypeError, AttributeError, ValueError, UnicodeDecodeError):
        return None
    return user_cache_dir() / f"t2s-{digest.hexdigest()[:16]}-{T2S_LAYOUT}.u32"


def _read_t2s(path: Path) -> Any:
    """The code points kept in a t2s file (None if it is missing or damaged)."""
    import numpy as np

    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[4:]
    if len(data) < 8 or len(body) % 4 or zlib.crc32(body) != int.from_bytes(data[:4], "little"):
        return None
    codes = np.frombuffer(body, dtype="<u4")
    return codes if int(codes.max()) < 0x110000 else None


def _has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character t2s changes: one vectorised lookup (~15 µs for a
    bulletin; a set test creates a string per character, ~110 µs)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return bool(_traditional_table()[codes].any())


def _changed_chars(text: str, converted: str) -> int:
    """Positions where ``converted`` differs from ``text`` (over the shorter length): one
    vectorised comparison (~20 µs for a bulletin; a Python loop over pairs, ~700 µs)."""
    import numpy as np

    n = min(len(text), len(converted))
    a, b = (np.frombuffer(s[:n].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            for s in (text, converted))
    return int(np.count_nonzero(a != b))


def _t2s_chars(text: str) -> str:
    """Traditional → Simplified keeping the length (phrase conversions fall back to per character)."""
    converted = _opencc().convert(text)
    if len(converted) != len(text):
        converted = "".join(_opencc().convert(c) for c in text)
    return converted


def clean_inline(text: str, invisibles: bool = True, radicals: bool = True,
                 pinyin: bool = True) -> str:
    """Character-level cleanup of one paragraph (idempotent).

    ``invisibles=False`` / ``radicals=False`` / ``pinyin=False`` say the whole document
    was searched and holds no invisible characters / no radicals / no tone-marked letter
    (:func:`normalize_blocks` asks once per document instead of once per line)."""
    # Each step runs only when its trigger character is present: this is the hot loop.
    if invisibles:
        text = INVISIBLES.sub("", text)
    if "&" in text or "?" in text:
        text = ENTITY_DEBRIS.sub(lambda m: ENTITY_NAMES[m["name"]], text)
        if "&" in text:
            text = html.unescape(text)
            radicals = pinyin = True  # a numeric entity may have been one
    if "**" in text:
        text = EMPHASIS_RESIDUE.sub("", text)
    if pinyin and ("(" in text or "（" in text):
        text = PINYIN_RESIDUE.sub("", text)
    if "\t" in text or "\u00a0" in text or "\u3000" in text:
        text = text.translate(SPACE_FOLD)
    if radicals and RADICALS.search(text):
        text = text.translate(RADICAL_FOLD)
    if " " in text:  # (tabs and wide spaces were folded to " " above: each step needs one)
        gaps = len(SPACE_IN_CJK.findall(text))
        if gaps:
            text = SPACE_IN_CJK.sub("" if _spaced_out(text, gaps) else " ", text)
        if " " in text:
            text = SPACE_CJK_DIGIT.sub("", text)
        if " " in text:
            text = _join_spaced_date_digits(text)
        if "  " in text:
            text = SPACE_RUN.sub(" ", text)
    if DOUBLED_PUNCT.search(text):
        text = DOUBLED_PUNCT.sub(r"\1", text)
        text = SPACE_RUN.sub(" ", text)
    return text.strip()


#: Kangxi radicals and CJK radical supplements (⼀ U+2F00 for 一) that PDF fonts map
#: glyphs to: folded to the unified ideograph NFKC gives, one character for one.
RADICAL_FOLD = {cp: ord(unicodedata.normalize("NFKC", chr(cp))) for cp in range(0x2E80, 0x2FE0)
                if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)}
RADICALS = regex.compile(r"[\u2e80-\u2fdf]")
#: Any character of INVISIBLES, RADICALS or TONE_MARKS: a document holding none needs
#: none of their steps (most documents: one scan instead of three).
RARE_CHARACTERS = re.compile("|".join((INVISIBLES.pattern, RADICALS.pattern, TONE_MARKS.pattern)))
#: Tab, no-break space and the ideographic space all read as one space.
SPACE_FOLD = str.maketrans({"\t": " ", "\u00a0": " ", "\u3000": " "})


#: Share of CJK characters followed by a space above which a paragraph is "spaced
#: out" by PDF extraction (整 改 情 况) and its CJK spaces are removed. Below it,
#: a space between CJK characters is kept (collapsed to one): it often stands
#: for missing punctuation, or separates a title from a name (书记 陈立峰).
SPACED_OUT_SHARE = 0.3
#: ... in a paragraph of at least this many Han characters.
SPACED_OUT_MIN_HAN = 4


def _spaced_out(text: str, gaps: int | None = None) -> bool:
    """``gaps``: the number of SPACE_IN_CJK matches in ``text``, when already counted."""
    if " " not in text:
        return False
    if gaps is None:
        gaps = len(SPACE_IN_CJK.findall(text))
    if not gaps:  # no share to weigh (and counting the Han characters costs more)
        return False
    han = 0
    for han in running_han(text):  # the share only falls as han grows
        if han >= SPACED_OUT_MIN_HAN and gaps / han <= SPACED_OUT_SHARE:
            return False
    return han >= SPACED_OUT_MIN_HAN and gaps / han > SPACED_OUT_SHARE


#: Digits split by spaces inside a date or count: 2 024 年 → 2024年 (PDF extraction).
SPACED_DIGITS = regex.compile(r"(?<=\d) (?=\d+[年月日项个条件人%])")


def _join_spaced_date_digits(text: str) -> str:
    return SPACED_DIGITS.sub("", text)


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER_LINE.match(text))


def continues(prev: str, nxt: str) -> bool:
    """Whether paragraph ``nxt`` is the rest of ``prev`` cut at a page or line end."""
    if not prev or not nxt:
        return False
    if prev[-1] in TERMINAL or HALF_OF.get(prev[-1], prev[-1]) in TERMINAL:
        return False
    # CUT_END is one character before the end (or before a final line break): looked for
    # in the last two characters only, not along the whole group joined so far.
    if not CUT_END.search(prev, max(len(prev) - 2, 0)):
        return False  # a cut falls mid-sentence: after a character or a comma, not a date or a bracket
    if len(nxt) <= SIGNATURE_LINE and not any(c in nxt for c in "，。；,;") and (
            SIGNATURE_END.search(nxt) or nxt[:4].isdigit() or TITLE_END.search(nxt)):
        return False  # a signature, a date line or a title
    if NEW_PARAGRAPH_START.match(fold_width(nxt[:HEAD_CHARS])):
        return False
    if TITLE_END.search(prev):
        return False
    has_sentence_punct = any(c in prev for c in "，。；,;")
    if len(prev) < SHORT_LINE and not has_sentence_punct:
        return False  # a heading, a signature line, a date line
    if NEW_PARAGRAPH_START.match(fold_width(prev[:HEAD_CHARS])) and "。" not in prev and (
            len(prev) < HEADING_LINE or not has_sentence_punct):
        return False  # a numbered heading: 一、领导班子组织落实整改情况 / （二）信访矛盾化解不及时，部分…
    return True


def normalize_blocks(blocks: list[Block]) -> NormalizedText:
    """Blocks of one document → NormalizedText."""
    raws = [" | ".join(c.strip() for c in block.cells)
            if block.kind == TABLE_ROW and block.cells is not None else block.text
            for block in blocks]
    whole = "\n".join(raws)
    if RARE_CHARACTERS.search(whole) is None:  # the usual document: one scan, not three
        invisibles = radicals = pinyin = False
    else:
        invisibles = INVISIBLES.search(whole) is not None
        radicals = RADICALS.search(whole) is not None
        pinyin = TONE_MARKS.search(whole) is not None
    paras: list[tuple[str, int | None]] = []
    for block, raw in zip(blocks, raws, strict=True):
        for line in raw.split("\n"):
            cleaned = clean_inline(line, invisibles, radicals, pinyin)
            if not cleaned or is_page_number(cleaned):
                continue
            paras.append((cleaned, block.page))
    _, traditional = to_simplified("".join(t for t, _ in paras))
    if traditional:
        paras = [(_t2s_chars(t), page) for t, page in paras]
    kept, page_meta = chrome.strip([t for t, _ in paras])
    if page_meta.removed:
        paras = [(text, paras[i][1]) for i, text in kept]

    joined: list[list[tuple[str, int | None]]] = []
    group_text = ""  # the text of the last group so far (what a continuation is judged against)
    for text, page in paras:
        if joined and continues(group_text, text):
            joined[-1].append((text, page))
            group_text += text
        else:
            joined.append([(text, page)])
            group_text = text

    pieces: list[str] = []
    page_marks: list[tuple[int, int | None]] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for group in joined:
        start = offset
        for text, page in group:
            if not page_marks or page_marks[-1][1] != page:
                page_marks.append((offset, page))
            pieces.append(text)
            offset += len(text)
        spans.append((start, offset))
        pieces.append("\n")
        offset += 1
    text = "".join(pieces).rstrip("\n")
    if not any(p for _, p in page_marks):
        page_marks = []
    return NormalizedText(text=text, match=fold_width(text), page_marks=page_marks,
                          paragraphs=spans, traditional=traditional, page=page_meta)


def normalize_text(text: str) -> str:
    """Normalize a plain string (one paragraph per line). Idempotent."""
    blocks = [Block(line) for line in text.split("\n")]
    return normalize_blocks(blocks).text
