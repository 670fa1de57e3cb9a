"""Accuracy of zhenggai over the hand-annotated sample corpus.

In the manner of trafilatura's evaluation: every sample in ``samples/`` with a
hand annotation in ``tests/annotations/`` is parsed and compared field by
field. ``score()`` returns per-field precision/recall/accuracy, item
precision/recall/F1 (items matched on ``(item_no, parent_no)``), per-item-field
accuracy over matched items, document-type accuracy and look-alike rejection.
``tests/test_accuracy_gate.py`` holds these against the floors in
``tests/accuracy_floor.json``, which only ever rise.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from extract.pipeline import parse_file
from extract.records import NOT_BULLETIN, ParsedDocument

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ANNOTATIONS = ROOT / "tests" / "annotations"
FLOORS = ROOT / "tests" / "accuracy_floor.json"
#: The reference date the annotations' overdue findings were written against.
AS_OF = date(2026, 11, 27)

DOC_FIELDS = (
    "title", "unit", "inspection_kind", "inspection_type", "inspector", "round",
    "inspection_start", "inspection_end", "feedback_date", "as_of_date", "publish_date",
    "items_declared", "problems_declared", "measures_declared", "problems_completed",
    "problems_in_progress", "completion_rate", "tasks_declared", "tasks_completed",
    "task_completion_rate", "categories_declared", "rules_made", "clues_received", "people_handled",
)
ITEM_FIELDS = ("section_no", "title", "status", "status_text", "long_term", "deadline_text",
               "deadline", "measures_count", "responsible_leader", "responsible_unit")


@dataclass
class Counts:
    tp: int = 0  # extracted, expected, equal
    fp: int = 0  # extracted but wrong or not expected
    fn: int = 0  # expected but missing or wrong
    agree: int = 0  # equal, including both empty
    total: int = 0

    def add(self, expected: object, found: object) -> bool:
        self.total += 1
        same = _equal(expected, found)
        if same:
            self.agree += 1
            if expected is not None:
                self.tp += 1
        else:
            if found is not None:
                self.fp += 1
            if expected is not None:
                self.fn += 1
        return same

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.agree / self.total if self.total else 1.0


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=dict)
    item_fields: dict[str, Counts] = field(default_factory=dict)
    items: Counts = field(default_factory=Counts)
    doc_type: Counts = field(default_factory=Counts)
    lookalikes_rejected: Counts = field(default_factory=Counts)
    checks: Counts = field(default_factory=Counts)
    #: Every non-empty annotated document value of a bulletin or round summary, right or not
    #: (the measure the held-out set of real pages is scored by: "document fields right").
    doc_values: Counts = field(default_factory=Counts)
    #: Documents typed right, per annotated type: bulletin / round_summary / not_bulletin.
    by_type: dict[str, Counts] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, c in self.fields.items():
            out[f"field.{name}.precision"] = round(c.precision, 4)
            out[f"field.{name}.recall"] = round(c.recall, 4)
        for name, c in self.item_fields.items():
            out[f"item.{name}.accuracy"] = round(c.accuracy, 4)
        out["items.precision"] = round(self.items.precision, 4)
        out["items.recall"] = round(self.items.recall, 4)
        out["items.f1"] = round(self.items.f1, 4)
        out["doc_type.accuracy"] = round(self.doc_type.accuracy, 4)
        out["lookalikes.rejected"] = round(self.lookalikes_rejected.accuracy, 4)
        out["checks.precision"] = round(self.checks.precision, 4)
        out["checks.recall"] = round(self.checks.recall, 4)
        out["doc_values.accuracy"] = round(self.doc_values.accuracy, 4)
        for doc_type, c in self.by_type.items():
            out[f"doc_type.{doc_type}.accuracy"] = round(c.accuracy, 4)
        return out

    def type_table(self) -> str:
        """``bulletin 21/46 · round_summary 0/6 · not_bulletin 8/8``."""
        return " · ".join(f"{t} {c.agree}/{c.total}" for t, c in sorted(self.by_type.items()))


def _equal(expected: object, found: object) -> bool:
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)) \
            and not isinstance(expected, bool) and not isinstance(found, bool):
        return abs(float(expected) - float(found)) < 1e-6
    return expected == found


def annotated_samples() -> list[tuple[Path, dict]]:  # type: ignore[type-arg]
    out = []
    for ann_path in sorted(ANNOTATIONS.glob("*.json")):
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        sample = SAMPLES / ann["sample"]
        if sample.exists():
            out.append((sample, ann))
    return out


def seed_annotation() -> dict:  # type: ignore[type-arg]
    return json.loads((ANNOTATIONS / "000_14f26a7ea3be1e8c.json").read_text(encoding="utf-8"))


def compare(parsed: ParsedDocument, ann: dict, report: Report) -> None:  # type: ignore[type-arg]
    name = ann["sample"]
    doc = asdict(parsed.document)
    if not report.doc_type.add(ann["doc_type"], doc["doc_type"]):
        report.mistakes.append(f"{name}: doc_type {doc['doc_type']!r} != {ann['doc_type']!r}")
    report.by_type.setdefault(ann["doc_type"], Counts()).add(ann["doc_type"], doc["doc_type"])
    if ann["doc_type"] == NOT_BULLETIN:
        report.lookalikes_rejected.add(NOT_BULLETIN, doc["doc_type"])
        report.items.fp += len(parsed.items)
        return
    for key in DOC_FIELDS:
        counts = report.fields.setdefault(key, Counts())
        expected = ann["fields"].get(key)
        if not counts.add(expected, doc.get(key)):
            report.mistakes.append(f"{name}: {key} {doc.get(key)!r} != {expected!r}")
        if expected is not None:
            report.doc_values.add(expected, doc.get(key))
    found = {(i.item_no, i.parent_no): asdict(i) for i in parsed.items}
    wanted = {(i["item_no"], i["parent_no"]): i for i in ann["items"]}
    for key, exp in wanted.items():
        got = found.get(key)
        if got is None:
            report.items.fn += 1
            report.mistakes.append(f"{name}: missing item {key}")
            continue
        report.items.tp += 1
        for f in ITEM_FIELDS:
            c = report.item_fields.setdefault(f, Counts())
            if not c.add(exp.get(f), got.get(f)):
                report.mistakes.append(f"{name}: item {key[0]} {f} {got.get(f)!r} != {exp.get(f)!r}")
    for key in found:
        if key not in wanted:
            report.items.fp += 1
            report.mistakes.append(f"{name}: extra item {key}")
    expected_checks = set(ann.get("checks", []))
    found_checks = {c.check for c in parsed.checks}
    for c in expected_checks | found_checks:
        if c in expected_checks and c in found_checks:
            report.checks.tp += 1
        elif c in found_checks:
            report.checks.fp += 1
            report.mistakes.append(f"{name}: extra check {c}")
        else:
            report.checks.fn += 1
            report.mistakes.append(f"{name}: missing check {c}")


def score(names: list[str] | None = None) -> Report:
    """Scores over the annotated samples, or over those whose file name starts with
    one of ``names`` (``["081", "102"]``)."""
    report = Report()
    for sample, ann in annotated_samples():
        if names and not sample.name.startswith(tuple(names)):
            continue
        compare(parse_file(sample, as_of=AS_OF), ann, report)
    return report


def load_floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
