"""Named patterns: every regular expression the parser uses, in one table.

Each :class:`Pattern` has a name, a docstring-like ``doc``, and examples it
must match (and counter-examples it must not); ``tests/test_patterns.py``
checks every entry. Patterns run on the width-folded ``match`` text of
:mod:`extract.normalize`, so they spell brackets, colons and commas half-width
(``(一)``, ``:``, ``,``) while ``。、“”`` stay full-width.

Look a pattern up with :func:`P`. The table is kept in three modules by what
the patterns read (:mod:`.structure`, :mod:`.document`, :mod:`.page`), all
registered in :mod:`.registry` when this package is imported.
"""

from __future__ import annotations

from extract.patterns import document, page, structure  # noqa: F401 - registers their patterns
from extract.patterns.registry import _CACHE, PATTERNS, P, Pattern, date_re, iso_re, lost_re
from extract.patterns.structure import HEADING_FIRST_CHARS, HEADING_RULES, LABEL_KINDS

__all__ = ["HEADING_FIRST_CHARS", "HEADING_RULES", "LABEL_KINDS", "PATTERNS", "P", "Pattern", "_CACHE",
           "date_re", "iso_re", "lost_re"]
