"""The accuracy gate: scores over the annotated corpus never fall below their floors.

Floors live in tests/accuracy_floor.json and only ever rise
(`scripts/score.py --raise-floors`). Targets from the project: every field
≥ 0.95, items F1 ≥ 0.95, every look-alike rejected.
"""

from __future__ import annotations

import pytest
from scoring import annotated_samples, load_floors, score

TARGET = 0.95


@pytest.fixture(scope="module")
def report():
    return score()


def test_corpus_is_large_enough():
    samples = annotated_samples()
    assert len(samples) >= 30
    assert sum(1 for _, a in samples if a["doc_type"] == "not_bulletin") >= 8
    assert sum(1 for _, a in samples if a["doc_type"] == "round_summary") >= 2


def test_scores_do_not_fall_below_floors(report):
    scores = report.scores()
    floors = load_floors()
    assert floors, "tests/accuracy_floor.json is missing"
    below = {k: (scores.get(k), f) for k, f in floors.items() if scores.get(k, 0.0) < f}
    assert not below, f"below floor: {below}\nmistakes:\n" + "\n".join(report.mistakes)


def test_floors_meet_the_targets():
    floors = load_floors()
    fields = {k: v for k, v in floors.items() if k.startswith("field.") or k.startswith("item.")}
    assert all(v >= TARGET for v in fields.values()), {k: v for k, v in fields.items() if v < TARGET}
    assert floors["items.f1"] >= TARGET
    assert floors["lookalikes.rejected"] == 1.0


def test_lookalikes_yield_nothing(report):
    assert report.lookalikes_rejected.accuracy == 1.0
