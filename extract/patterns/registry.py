"""The registry every named pattern lives in, and the building blocks they are made of.

:func:`add` registers a :class:`Pattern` (name, source, a docstring-like ``doc``,
examples it must match and counter-examples it must not, and the literals
every match contains); :func:`P` looks one up, compiled once. The patterns
themselves are in the sibling modules, by what they read:
:mod:`~extract.patterns.structure` (headings, labels, measures, statuses,
deadlines), :mod:`~extract.patterns.document` (dates, the inspection, units,
counts and their context), :mod:`~extract.patterns.page` (web chrome and the
signals of the document type).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

# --- building blocks (strings, composed into patterns below) --------------------

#: A count: Arabic digits or a Chinese numeral.
NUM = r"(?:\d+|[零〇两一二三四五六七八九十百千]+)"
#: A small ordinal as used in headings.
CN_ORD = r"[一二三四五六七八九十]{1,3}"
#: Heading numbers: Arabic 1–3 digits.
AR_ORD = r"\d{1,3}"
#: Noun for a problem.
PROBLEM_NOUN = r"(?:具体问题|问题)"
#: A date: [year年] month月 [day日|号] [旬/底/初]. Month may be a Chinese numeral.
#: A year in digits or in Chinese numerals (二〇二四); a day in digits or numerals (十四, 三十一).
CN_YEAR = r"(?:19|20)\d{2}|[一二][〇○零一二三四五六七八九]{3}"
CN_DAY = r"[0-3]?\d|[一二]?十[一二三四五六七八九]?|三十[一]?|[一二三四五六七八九]"
_DATE_TMPL = (r"(?:(?P<{p}y>" + CN_YEAR.replace("{", "{{").replace("}", "}}") + r")\s*年\s*)?"
              r"(?P<{p}m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
              r"(?:\s*(?P<{p}d>" + CN_DAY.replace("{", "{{").replace("}", "}}") + r")\s*[日号])?"
              r"(?P<{p}part>上旬|中旬|下旬|初|中|底|末)?")
_ISO_TMPL = r"(?P<{p}y>(?:19|20)\d{{2}})\s*[-./]\s*(?P<{p}m>1[0-2]|0?[1-9])\s*[-./]\s*(?P<{p}d>[0-3]?\d)(?!\d)"
#: Lost separators (PDF extraction): 2023912日 = 2023-09-12, 1025日 = 10-25.
_LOST_TMPL = r"(?P<{p}y>(?:19|20)\d{{2}})?(?P<{p}m>1[0-2]|0?[1-9])(?P<{p}d>[12]\d|3[01]|0?[1-9])日"
RANGE_SEP = r"\s*(?:至|到|—{1,2}|-{1,2}|–|~|～)\s*(?:次年|翌年)?"


def date_re(prefix: str) -> str:
    return _DATE_TMPL.format(p=prefix)


def iso_re(prefix: str) -> str:
    return _ISO_TMPL.format(p=prefix)


def lost_re(prefix: str) -> str:
    return _LOST_TMPL.format(p=prefix)


@dataclass(frozen=True)
class Pattern:
    name: str
    source: str
    doc: str
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    flags: int = 0
    #: Words one of which every match contains (checked by the tests over the corpus):
    #: a paragraph without any of them is skipped without running the expression.
    literals: tuple[str, ...] = ()

    @property
    def regex(self) -> regex.Pattern[str]:
        return _compiled(self)


_CACHE: dict[str, regex.Pattern[str]] = {}


def _compiled(p: Pattern) -> regex.Pattern[str]:
    r = _CACHE.get(p.name)
    if r is None:
        r = _CACHE[p.name] = regex.compile(p.source, p.flags | regex.V0)
    return r


PATTERNS: dict[str, Pattern] = {}


def add(name: str, source: str, doc: str, examples: tuple[str, ...] = (),
         counter_examples: tuple[str, ...] = (), flags: int = 0,
         literals: tuple[str, ...] = ()) -> None:
    assert name not in PATTERNS, name
    PATTERNS[name] = Pattern(name, source, doc, examples, counter_examples, flags, literals)


def P(name: str) -> regex.Pattern[str]:
    """The compiled pattern called ``name``."""
    r = _CACHE.get(name)
    return r if r is not None else PATTERNS[name].regex
