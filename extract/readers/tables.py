"""Problem tables → prose paragraphs (shared by the docx and pdf readers).

Many bulletins list their problems in a table (序号 | 问题 | 整改措施 | 整改情况 |
完成时限 | 责任单位). The text pipeline reads prose, so each problem row is
linearized into PARAGRAPH blocks of one canonical form::

    （一）<category>          ← only when a category column exists and its value changes
    <序号>. <问题>            ← ``(19) <问题>`` for a sub-problem numbered （19） under a row 10
    整改情况：<整改情况>
    整改措施：<整改措施>
    完成时限：<完成时限>
    责任领导：<…>
    责任单位：<…>

(lines only for columns that exist and are non-empty). Tables that are not
problem tables stay TABLE_ROW blocks with their cells joined by `` | ``.

Readers hand over every table row as a TABLE_ROW block (``cells`` set) in
document order; :func:`linearize_tables` groups consecutive rows into tables,
recognises a header row, follows a table continued on the next page (header
repeated or not), fills merged/empty category cells down, and joins a row
split across a page break (its 序号 cell empty) to the row above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extract.document import PARAGRAPH, TABLE_ROW, Block

#: Column roles, each with the header labels (whitespace removed) that name it.
#: Order of the tuple = precedence when a header matches several roles.
COLUMN_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no", ("序号", "编号", "问题序号", "序")),
    ("category", ("问题类别", "问题类型", "问题分类", "类别", "类型", "方面", "问题方面")),
    ("status", ("整改情况", "整改进展", "整改进展情况", "完成情况", "整改完成情况", "整改状态",
                "进展情况", "落实情况", "整改落实情况", "整改进度", "完成进度", "整改结果")),
    ("measures", ("整改措施", "整改举措", "具体措施", "整改任务", "措施")),
    ("deadline", ("完成时限", "整改时限", "承诺完成时限", "时限", "完成时间", "整改期限")),
    ("leader", ("责任领导", "牵头领导", "分管领导", "责任人")),
    ("unit", ("责任单位", "责任部门", "责任股室", "责任科室", "牵头单位", "责任处室")),
    ("problem", ("问题", "反馈问题", "存在问题", "问题描述", "巡察反馈问题", "巡视反馈问题",
                 "具体问题", "问题表现", "主要问题", "反馈意见", "问题内容", "问题具体表现",
                 "存在的问题", "发现问题")),
)

#: Output label of each prose line, in output order (category and number handled apart).
FIELD_LINES: tuple[tuple[str, str], ...] = (
    ("status", "整改情况"),
    ("measures", "整改措施"),
    ("deadline", "完成时限"),
    ("leader", "责任领导"),
    ("unit", "责任单位"),
)

#: A header row must name the problem column and at least this many roles in all.
MIN_HEADER_ROLES = 3
#: A header label is short; a longer cell is content, not a label (characters).
MAX_LABEL_CHARS = 12
#: Trailing punctuation stripped from a 序号 cell before ``<序号>. `` is written.
NO_PUNCT = "、.．,，:：)）(（ \t"
CHINESE_DIGITS = "零一二三四五六七八九"
#: A sub-problem number written in brackets in the 序号 column: （19） / (19) / （19）、.
#: It stays in the written form, as in prose, so the segmenter files it under the row above.
SUB_NUMBER = re.compile(r"^[（(]\s*(\d+)\s*[)）][、.．,，:：\s]*$")
#: A category value that already carries its own number: （一）/一、/一.
CATEGORY_PREFIX = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])\s*")
WHITESPACE = re.compile(r"\s+")


@dataclass
class OpenTable:
    """A problem table being read (it may continue over several pages)."""

    roles: dict[int, str]  # column index → role
    width: int  # number of columns
    header: tuple[str, ...]  # normalised header cells, to spot a repeated header
    rows: list[tuple[list[str], int | None]] = field(default_factory=list)  # cells, page

    def add(self, cells: list[str], page: int | None) -> None:
        """Add a row; a row whose 序号 is empty continues the row above (page break)."""
        no_idx = self.column("no")
        if self.rows and no_idx is not None and not cells[no_idx].strip(NO_PUNCT):
            _merge_rows(self.rows[-1][0], cells)
            return
        self.rows.append((cells, page))

    def column(self, role: str) -> int | None:
        return next((k for k, r in self.roles.items() if r == role), None)

    def to_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        cat_idx = self.column("category")
        last_category: str | None = None
        categories = 0
        previous: list[str] | None = None
        for counter, (cells, page) in enumerate(self.rows, start=1):
            if cat_idx is not None and not cells[cat_idx].strip() and previous is not None:
                cells[cat_idx] = previous[cat_idx]  # merged or left-empty category cell
            previous = cells
            values = {role: normalize_cell(cells[idx]) for idx, role in self.roles.items()}
            if cat_idx is not None:
                category = CATEGORY_PREFIX.sub("", values["category"]).strip()
                if category and category != last_category:
                    categories += 1
                    last_category = category
                    blocks.append(Block(f"（{chinese_number(categories)}）{category}", page=page))
            for line in problem_lines(values, counter):
                blocks.append(Block(line, page=page, kind=PARAGRAPH))
        return blocks


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (enough for categories)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + (CHINESE_DIGITS[ones] if ones else "")


def normalize_cell(text: str | None) -> str:
    """Cell text with line breaks inside the cell removed and outer spaces stripped."""
    if not text:
        return ""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    return "".join(ln for ln in lines if ln)


def header_key(cell: str) -> str:
    return WHITESPACE.sub("", cell or "").replace("（", "(").replace("）", ")")


def label_roles(cell: str) -> list[str]:
    """The roles a header label can name, in precedence order (empty for no label)."""
    key = re.sub(r"\(.*?\)", "", header_key(cell))  # 完成时限(承诺) → 完成时限
    if not key or len(key) > MAX_LABEL_CHARS:
        return []
    return [role for role, labels in COLUMN_LABELS
            if key in labels or (role != "no" and any(key.endswith(lb) and len(lb) >= 2 for lb in labels))]


def header_roles(cells: Sequence[str]) -> dict[int, str] | None:
    """Column roles if ``cells`` is a problem-table header row, else None."""
    roles: dict[int, str] = {}
    used: set[str] = set()
    for idx, cell in enumerate(cells):
        for role in label_roles(cell):
            if role not in used:
                roles[idx] = role
                used.add(role)
                break
    if "problem" not in used or len(used) < MIN_HEADER_ROLES:
        return None
    return roles


def problem_lines(values: dict[str, str], counter: int) -> list[str]:
    """Canonical prose lines for one problem row (category line excluded)."""
    problem = values.get("problem", "")
    if not problem and not any(values.get(r) for r, _ in FIELD_LINES):
        return []
    written = values.get("no", "").strip()
    sub = SUB_NUMBER.match(written)
    if sub:
        lines = [f"({sub.group(1)}) {problem}"]  # a sub-problem: (19) under problem 10
    else:
        number = written.strip(NO_PUNCT) or str(counter)
        lines = [f"{number}. {problem}"]
    for role, label in FIELD_LINES:
        value = values.get(role, "")
        if value:
            lines.append(f"{label}：{value}")
    return lines


def _merge_rows(upper: list[str], lower: Sequence[str]) -> None:
    """Append a continuation row (split at a page break) to the row above, cell by cell."""
    for idx, text in enumerate(lower):
        if idx < len(upper) and text:
            upper[idx] = upper[idx] + text if upper[idx] else text
        elif idx >= len(upper):
            upper.append(text)


def row_text(cells: Iterable[str]) -> str:
    return " | ".join(normalize_cell(c) for c in cells)


def linearize_tables(blocks: Sequence[Block]) -> list[Block]:
    """Replace problem-table rows by canonical prose paragraphs; keep other blocks.

    Rows after a problem-table header belong to that table until prose text
    or a row of another width appears: a table continued on the next page
    (header repeated or not) goes on with the same numbering and categories.
    """
    if not any(block.kind == TABLE_ROW for block in blocks):
        return list(blocks)  # the usual document: no table at all
    out: list[Block] = []
    table: OpenTable | None = None
    for block in blocks:
        if block.kind != TABLE_ROW or block.cells is None:
            if table is not None and block.text.strip():
                out.extend(table.to_blocks())
                table = None
            out.append(block)
            continue
        cells = [c or "" for c in block.cells]
        roles = header_roles(cells)
        if roles is not None:
            key = tuple(header_key(c) for c in cells)
            if table is not None and key == table.header:
                continue  # header repeated on the next page
            if table is not None:
                out.extend(table.to_blocks())
            table = OpenTable(roles=roles, width=len(cells), header=key)
            continue
        if table is None or len(cells) != table.width:
            if table is not None:
                out.extend(table.to_blocks())
                table = None
            out.append(Block(row_text(cells), page=block.page, kind=TABLE_ROW,
                             cells=tuple(cells), bbox=block.bbox))
            continue
        table.add(cells, block.page)
    if table is not None:
        out.extend(table.to_blocks())
    return out
