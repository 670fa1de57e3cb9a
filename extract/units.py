"""Unit names, in one room: how the forms of one unit's name fold together.

Bulletins name a unit in many ways — ``中共洛阳市委外事工作委员会办公室``,
``洛阳市委外事办``, ``市委外事办党组`` — and the extraction (which form to
report) and the analysis across units (which documents belong to one unit)
both ask the same questions here:

* :func:`unit_key`: a folded key, equal for the forms of one unit (width,
  spaces, Traditional characters, 中共, 党组/党委, 委员会, the abbreviations
  of ``data/unit_abbrev.tsv``);
* :func:`merge_short_keys`: a short form lacking its place name
  (``市委统战部``) joined to the one longer key it abbreviates;
* :func:`same_unit`: whether two names found in one document name one unit,
  also when one abbreviates the other (``县发改局党组`` /
  ``中共沣源县发展和改革局党组``);
* :func:`fullness`: which of two names of one unit is the fuller form;
* :func:`group_documents`: a unit's documents together, oldest first, with the
  files that are copies of one of them (the same bulletin in another format).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.normalize import _t2s_chars
from extract.records import BULLETIN, OK, ROUND_SUMMARY, DocumentFields

UNIT_ABBREV_PATH = Path(__file__).parent / "data" / "unit_abbrev.tsv"


#: Leading words dropped from unit names (longest first).
UNIT_PREFIXES = ("中国共产党", "中共")
#: Trailing party-organ words dropped, repeatedly (longest first): 市卫健委党委 → 市卫健委.
UNIT_SUFFIXES = ("机关党总支", "机关党支部", "机关党委", "党工委", "党总支", "党支部", "党组", "党委")
#: Characters that start a unit name lacking its place name (市委统战部, 县卫健局).
LEVEL_CHARS = "省市县区州旗盟镇乡"
#: A place-name prefix: 1 to PLACE_PREFIX_MAX CJK characters, none of which
#: names an organ (ORGAN_CHARS).
PLACE_PREFIX_MAX = 12
PLACE_PREFIX_RE = re.compile(rf"^[\u4e00-\u9fff]{{1,{PLACE_PREFIX_MAX}}}$")
ORGAN_CHARS = set("委局部办厅院所室党会组司处科")
#: A place name ends with one of these (柘岭县 + 石门镇); 县委… is an organ of the place.
PLACE_END_CHARS = "省市县区州旗盟"
#: Characters a short form keeps at least.
SHORT_FORM_MIN_LEN = 2
#: Characters an abbreviation needs before its letters-in-order test counts (县委办 would
#: otherwise abbreviate 县委巡察办): 县发改局, 区住建局.
ABBREVIATION_MIN_LEN = 4
PARTY_COMMITTEE = "委员会"
#: Endings of 中共X… names that name the party organisation of X (longest first).
PARTY_COMMITTEE_ENDINGS = ("总支部委员会", "支部委员会", "工作委员会", PARTY_COMMITTEE)
#: Names of organisations and townships whose party committee (中共X委员会)
#: stands for the organisation itself (中共X公安局委员会 = X公安局党委). Commissions
#: of government (卫生健康委员会, 纪律检查委员会) end otherwise and keep 委.
ORGANISATION_ENDINGS = (
    "医院", "公司", "集团", "学院", "大学", "学校", "中学", "小学", "幼儿园", "中心", "研究院",
    "研究所", "银行", "分行", "支行", "镇", "乡", "街道", "社区", "村", "园区", "开发区", "高新区",
    "经开区", "农场", "林场", "院", "局", "厅", "所",
)
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _unit_abbreviations() -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in UNIT_ABBREV_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        full, short = line.split("\t")
        pairs.append((full.strip(), short.strip()))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@lru_cache(maxsize=65536)
def unit_key(name: str | None) -> str | None:
    """Fold a unit name so that forms of one unit compare equal.

    Full/half width (NFKC), whitespace, Traditional → Simplified, a leading
    中共/中国共产党, trailing 党组/党委/党工委/机关党委…, the party committee
    of an organisation or township (中共X医院委员会 → X医院), 委员会 → 委 and
    the abbreviations of ``data/unit_abbrev.tsv`` (外事工作委员会办公室 → 外事办).
    """
    if name is None:
        return None
    key = unicodedata.normalize("NFKC", name)
    key = _SPACE_RE.sub("", key)
    key = _t2s_chars(key)
    party_prefix = False
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            party_prefix = True
            break
    stripped = True
    while stripped:
        stripped = False
        for suffix in UNIT_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                stripped = True
                break
    # 中共X医院委员会 / 中共X镇委员会 / 中共X街道工作委员会 / 中共X中学总支部
    # 委员会 is the party organisation of X: the unit X (as X医院党委, X镇党委,
    # X街道党工委 fold to X). 中共X县委员会 stays X县委.
    if party_prefix:
        ending = next((e for e in PARTY_COMMITTEE_ENDINGS if key.endswith(e)), None)
        if ending is not None and key[: -len(ending)].endswith(ORGANISATION_ENDINGS):
            key = key[: -len(ending)]
    key = key.replace(PARTY_COMMITTEE, "委")
    for full, short in _unit_abbreviations():
        key = key.replace(full, short)
    return key or None


def _is_place_prefix(prefix: str) -> bool:
    return bool(PLACE_PREFIX_RE.match(prefix)) and not (set(prefix) & ORGAN_CHARS)


def merge_short_keys(keys: Iterable[str]) -> dict[str, str]:
    """Map each key to its group key: a short form lacking the place name
    joins the single longer key that is ``place + short form``:
    ``市委统战部`` → ``洛阳市委统战部``, ``石门镇`` → ``柘岭县石门镇``. A short form
    that fits several (two cities) stays apart, and so does one no longer key
    fits."""
    key_set = sorted(set(keys))
    mapping = {k: k for k in key_set}
    # short form → longer keys that are place + short form (one pass over prefixes).
    by_short: dict[str, list[str]] = defaultdict(list)
    for k in key_set:
        for i in range(1, min(len(k), PLACE_PREFIX_MAX + 1)):
            if not _is_place_prefix(k[:i]):
                break  # a longer prefix holds the same organ character
            rest = k[i:]
            if len(rest) < SHORT_FORM_MIN_LEN:
                break
            if rest[0] in LEVEL_CHARS or (k[i - 1] in PLACE_END_CHARS and rest[0] not in "委"):
                by_short[rest].append(k)
    for short in key_set:
        longer = by_short.get(short, [])
        if len(longer) == 1:
            mapping[short] = longer[0]
    # Resolve chains (县卫健局 → 宁川县卫健局 stays one step; keep it general).
    for k in key_set:
        seen = {k}
        target = mapping[k]
        while mapping[target] != target and mapping[target] not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[k] = target
    return mapping




def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(c in it for c in short)


def _tails(key: str) -> Iterable[str]:
    """The key, and what follows each place name in it (沣源县发展和改革局 → 县发展和改革局)."""
    yield key
    for i in range(1, len(key)):
        if key[i] in LEVEL_CHARS or key[i - 1] in PLACE_END_CHARS:
            yield key[i:]


#: A company's legal form, left out when names are compared (明州市城市建设投资集团有限公司 is
#: the 明州城投集团 of the opening).
LEGAL_FORM = re.compile(r"(?:股份)?有限(?:责任)?公司$")


def _core(key: str | None) -> str | None:
    if not key:
        return key
    core = LEGAL_FORM.sub("", key)
    return core if len(core) >= SHORT_FORM_MIN_LEN else key


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two names found in one document name one unit.

    Equal keys; one key the other without its place name (县发改局 / 沣源县发改局) — not a
    unit inside another (青石镇 / 青石镇白沙村);
    or the shorter an abbreviation of the longer from a place name on: same
    first and last character, the rest in order (区文旅体局 / 岚溪区文化广电旅游体育局,
    明州城投集团 / 明州市城市建设投资集团).
    """
    ka, kb = _core(unit_key(a)), _core(unit_key(b))
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if long_.endswith(short) or long_ == short + "委":
        return True  # the place named first (县法院 / 石岭县法院); a place's committee (临溪市 / 临溪市委)

    if len(short) < ABBREVIATION_MIN_LEN:
        return False
    return any(short[0] == tail[0] and short[-1] == tail[-1] and _is_subsequence(short, tail)
               for tail in _tails(long_))


def fullness(name: str) -> tuple[bool, int]:
    """How full a form of a unit's name is: the 中共… form first, then the longer."""
    return (name.startswith(UNIT_PREFIXES), len(name))


# ------------------------------------------------------------ a unit's documents

#: Document types grouped by unit (each type apart: a round summary is never merged with
#: bulletins of the same body), in row-group order.
GROUPED_DOC_TYPES = (BULLETIN, ROUND_SUMMARY)


def _doc_order_key(doc: DocumentFields) -> tuple[str, str, str, str]:
    """A unit's bulletins in date order: the date each reports for (its as_of date, else its
    publish date), then publish and feedback dates; undated first."""
    return (doc.as_of_date or doc.publish_date or "", doc.publish_date or "",
            doc.feedback_date or "", doc.doc_id)


@dataclass
class UnitGroup:
    """The bulletins of one unit (one doc_type), oldest first, and the files
    that are copies of one of them (the same bulletin in another format)."""

    doc_type: str
    key: str | None
    docs: list[DocumentFields]
    copies: list[DocumentFields]

    @property
    def latest(self) -> DocumentFields:
        return self.docs[-1]


#: Figures two copies of one bulletin state alike (when both state them).
COPY_FIGURES = ("problems_declared", "items_declared", "completion_rate", "problems_completed")
#: Dates two copies state alike, or one leaves out (a web page adds its own
#: publish stamp) or gives less precisely (OCR: 2023-12 for 2023-12-05).
COPY_DATES = ("publish_date", "feedback_date", "inspection_start", "inspection_end")


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def agree_on(a: DocumentFields, b: DocumentFields, figures: Sequence[str],
             dates: Sequence[str]) -> bool:
    """Whether two documents contradict each other on none of ``figures`` (equal where both
    state them) and ``dates`` (one missing, or one the other at a coarser precision)."""
    for name in figures:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            return False
    return all(_dates_agree(getattr(a, name), getattr(b, name)) for name in dates)


def same_bulletin(a: DocumentFields, b: DocumentFields) -> bool:
    """Whether two files of one unit are copies of one bulletin (other formats).

    The as_of dates must both be missing or agree; stated figures must be
    equal where both state them; other dates must agree where both give them.
    """
    if (a.as_of_date is None) != (b.as_of_date is None):
        return False
    if not _dates_agree(a.as_of_date, b.as_of_date):
        return False
    return agree_on(a, b, COPY_FIGURES, COPY_DATES)


def _best_copy_key(doc: DocumentFields) -> tuple[int, int, int, str]:
    """The copy whose parse found the most, then plain text, then doc_id."""
    return (-doc.items_extracted, doc.parse_status != OK, doc.source_format != "txt", doc.doc_id)


def group_documents(documents: Iterable[DocumentFields]) -> list[UnitGroup]:
    """Group bulletins (and, separately, round summaries) by folded unit name.

    Documents without a unit each make their own group (key None). A file the run
    found to be a copy of another (``duplicate_of``: same bytes, or nearly the same
    text, :mod:`extract.copies`) goes to the ``copies`` of the group of the copy kept.
    Files of one unit that agree on their dates and stated figures
    (:func:`same_bulletin`: a ledger and its bulletin, whose texts differ) are copies
    of one bulletin too: the best parsed one represents it, the others go to ``copies``.
    """
    docs = [d for d in documents if d.doc_type in GROUPED_DOC_TYPES]
    found_copies = [d for d in docs if d.duplicate_of is not None]
    docs = [d for d in docs if d.duplicate_of is None]
    raw_keys = {d.doc_id: unit_key(d.unit) for d in docs}
    mapping = merge_short_keys(k for k in raw_keys.values() if k)
    groups: dict[tuple[str, str], list[DocumentFields]] = defaultdict(list)
    for doc in docs:
        key = raw_keys[doc.doc_id]
        group_id = mapping[key] if key else "\0" + doc.doc_id
        groups[(doc.doc_type, group_id)].append(doc)
    result = []
    for (doc_type, group_id), members in groups.items():
        key = None if group_id.startswith("\0") else group_id
        editions: list[list[DocumentFields]] = []
        for doc in sorted(members, key=_best_copy_key):
            edition = next((e for e in editions if all(same_bulletin(doc, d) for d in e)), None)
            if edition is None:
                editions.append([doc])
            else:
                edition.append(doc)
        kept, copies = [], []
        for files in editions:
            files.sort(key=_best_copy_key)
            kept.append(files[0])
            copies.extend(files[1:])
        result.append(UnitGroup(doc_type, key, sorted(kept, key=_doc_order_key),
                                sorted(copies, key=lambda d: d.doc_id)))
    group_of = {d.doc_id: g for g in result for d in g.docs}
    for doc in found_copies:
        group = group_of.get(doc.duplicate_of or "")
        if group is not None:
            group.copies.append(doc)
    for group in result:
        group.copies.sort(key=lambda d: (d.doc_id, d.source_path))
    return sorted(result, key=lambda g: (g.doc_type, g.key or "", g.latest.doc_id))
