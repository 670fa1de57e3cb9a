"""A unit's bulletins in sequence and its problems followed across them (extract/history.py)."""

from __future__ import annotations

from datetime import date

from extract.history import (
    STILL_OPEN_MONTHS,
    TITLE_MATCH_MIN,
    build,
    history_table,
    same_inspection,
    sequences,
    title_similarity,
)
from extract.records import (
    BULLETIN,
    COMPLETED,
    IN_PROGRESS,
    PARTIAL,
    ROUND_SUMMARY,
    UNKNOWN,
    DocumentFields,
    Item,
)

AS_OF = date(2026, 6, 30)
UNIT = "中共青岑县水利局党组"


def doc(doc_id: str, as_of: str | None, feedback: str | None = "2023-07-14", **kw: object
        ) -> DocumentFields:
    base: dict[str, object] = dict(doc_id=doc_id, source_path=f"{doc_id}.txt", source_format="txt",
                                   doc_type=BULLETIN, unit=UNIT, as_of_date=as_of,
                                   feedback_date=feedback)
    base.update(kw)
    return DocumentFields(**base)  # type: ignore[arg-type]


def item(doc_id: str, index: int, no: str, title: str, status: str, deadline: str | None = None,
         parent_no: str | None = None) -> Item:
    return Item(doc_id=doc_id, unit=UNIT, item_index=index, section_no=None, section_title=None,
                item_no=no, parent_no=parent_no, title=title, status=status,
                deadline=deadline, deadline_text=deadline)


CAR = "违规使用公务用车问题仍有发生"
WATER = "农村饮水安全工程建后管护不到位，部分供水站水质检测不达标"
STAFF = "干部队伍专业结构不合理，水利专业技术人才短缺"
STREET = "占道经营、违规户外广告整治存在“回潮”现象"
STREET_AGAIN = "占道经营和违规设置户外广告问题整治成果不够巩固，出现反弹"
CADRES = "选人用人工作不够规范，干部交流轮岗推进缓慢"
CADRES_AGAIN = "干部交流轮岗推进缓慢，选人用人工作有待进一步规范"


def test_titles_of_one_problem_are_alike_and_of_two_are_not() -> None:
    assert title_similarity(CAR, "公务用车使用管理不规范，违规使用公务用车问题仍有发生") == 100.0
    assert title_similarity(STREET, STREET_AGAIN) >= TITLE_MATCH_MIN
    assert title_similarity(CADRES, CADRES_AGAIN) >= TITLE_MATCH_MIN
    # boilerplate words do not make two problems alike
    assert title_similarity("关于“课后服务收费和管理不规范”的问题", "关于“校舍维修工程管理不规范”的问题") \
        < TITLE_MATCH_MIN
    assert title_similarity("“第一议题”制度执行不严格", "执行干部人事制度不严格") < TITLE_MATCH_MIN
    assert title_similarity(WATER, STAFF) < 30


def test_a_units_bulletins_split_by_inspection_oldest_first() -> None:
    docs = [doc("b", "2024-04-30"), doc("a", "2023-10-31"),
            doc("old", "2020-12-31", feedback="2020-07-22"),
            doc("m", "2024-01-31", feedback="2023-07"),  # the month of the same feedback
            doc("r", "2024-06-30", doc_type=ROUND_SUMMARY),
            doc("x", "2024-06-30", unit="中共青岑县林业局党组"),
            doc("copy", "2024-04-30", duplicate_of="b")]
    got = sorted((s.unit_key, s.inspection, [d.doc_id for d in s.docs]) for s in sequences(docs))
    assert got == [("青岑县林业局", "2023-07-14", ["x"]),
                   ("青岑县水利局", "2020-07-22", ["old"]),
                   ("青岑县水利局", "2023-07-14", ["a", "m", "b"])]


def test_a_bulletin_naming_no_inspection_joins_the_only_sequence_or_stands_alone() -> None:
    one = sequences([doc("a", "2023-10-31"), doc("b", "2024-04-30", feedback=None)])
    assert [[d.doc_id for d in s.docs] for s in one] == [["a", "b"]]
    two = sequences([doc("a", "2023-10-31"), doc("old", "2020-12-31", feedback="2020-07-22"),
                     doc("b", "2024-04-30", feedback=None)])
    assert sorted([d.doc_id for d in s.docs] for s in two) == [["a"], ["b"], ["old"]]
    assert same_inspection(doc("a", None), doc("b", None, feedback=None, round="第七轮")) is None
    assert same_inspection(doc("a", None, round="第七轮"), doc("b", None, feedback=None,
                                                             round="第八轮")) is False


def test_a_renumbered_list_is_followed_by_title_not_number() -> None:
    docs = [doc("a", "2024-03-31"), doc("b", "2024-09-30"), doc("c", "2025-03-31")]
    items = [item("a", 1, "1", "党组理论学习中心组学习制度执行不严格，专题研讨质量不高", COMPLETED),
             item("a", 2, "2", STREET, IN_PROGRESS, "2024-09"),
             item("a", 3, "3", CADRES, IN_PROGRESS, "2024-12"),
             item("b", 1, "1", "党组理论学习中心组学习制度执行不严格，专题研讨质量不高", COMPLETED),
             item("b", 2, "2", STREET, IN_PROGRESS, "2024-12"),
             item("b", 3, "3", CADRES, IN_PROGRESS, "2024-12"),
             # only the open problems, numbered again from 1
             item("c", 1, "1", STREET_AGAIN, IN_PROGRESS, "2025-06"),
             item("c", 2, "2", CADRES_AGAIN, PARTIAL, "2025-06")]
    history = build(docs, items)
    paths = {p.key: [(a.doc.doc_id, a.item.item_no) for a in p.appearances] for p in history.problems}
    assert paths == {
        "青岑县水利局·2023-07-14·2024-03-31·1": [("a", "1"), ("b", "1")],
        "青岑县水利局·2023-07-14·2024-03-31·2": [("a", "2"), ("b", "2"), ("c", "1")],
        "青岑县水利局·2023-07-14·2024-03-31·3": [("a", "3"), ("b", "3"), ("c", "2")]}
    street = history.problem_of("c", 1)
    assert street is not None
    assert (street.still_open, street.reopened, street.deadline_moved) == (True, False, True)
    assert street.appearances[-1].score is not None and street.appearances[-1].score >= 80


def test_a_problem_may_skip_a_bulletin_and_a_new_one_may_appear() -> None:
    docs = [doc("a", "2023-10-31"), doc("b", "2024-04-30"), doc("c", "2024-12-31")]
    items = [item("a", 1, "1", WATER, IN_PROGRESS), item("a", 2, "2", STAFF, IN_PROGRESS),
             item("b", 1, "1", STAFF, IN_PROGRESS),
             item("c", 1, "1", WATER, COMPLETED), item("c", 2, "2", STAFF, COMPLETED),
             item("c", 3, "3", CAR, IN_PROGRESS)]
    history = build(docs, items)
    assert [(p.key, len(p.appearances)) for p in history.problems] == [
        ("青岑县水利局·2023-07-14·2023-10-31·1", 2), ("青岑县水利局·2023-07-14·2023-10-31·2", 3),
        ("青岑县水利局·2023-07-14·2024-12-31·3", 1)]
    water = history.problem_of("a", 1)
    assert water is not None and [a.step for a in water.appearances] == [1, 3]


def test_flags() -> None:
    docs = [doc("a", "2023-10-31"), doc("b", "2024-03-31"), doc("c", "2024-04-30")]
    items = [item("a", 1, "1", CAR, COMPLETED), item("b", 1, "1", CAR, COMPLETED),
             item("c", 1, "1", CAR, IN_PROGRESS, "2025-03"),
             # open at 2023-10 and 2024-04: six months apart, open at its latest
             item("a", 2, "2", STAFF, IN_PROGRESS, "2024"), item("b", 2, "2", STAFF, IN_PROGRESS,
                                                                 "2024-12"),
             item("c", 2, "2", STAFF, PARTIAL, "2024-12-31"),
             # open five months apart only, then done; its deadline moved
             item("a", 3, "3", WATER, IN_PROGRESS, "2024-03"),
             item("b", 3, "3", WATER, IN_PROGRESS, "2024-06"), item("c", 3, "3", WATER, COMPLETED),
             # a status not stated is no report either way
             item("a", 4, "4", CADRES, UNKNOWN), item("c", 4, "4", CADRES, IN_PROGRESS)]
    history = build(docs, items)
    flags = {p.appearances[0].item.title: (p.still_open, p.reopened, p.deadline_moved)
             for p in history.problems}
    assert STILL_OPEN_MONTHS == 6
    assert flags == {CAR: (False, True, False), STAFF: (True, False, False),
                     WATER: (False, False, True), CADRES: (False, False, False)}


def test_first_reported_and_days_open() -> None:
    docs = [doc("a", "2023-10-31"), doc("b", "2024-04", publish_date="2024-05-10"),
            doc("c", None, publish_date="2025-01-15")]
    items = [item("a", 1, "1", WATER, IN_PROGRESS), item("b", 1, "1", WATER, COMPLETED),
             item("c", 1, "1", WATER, COMPLETED),
             item("a", 2, "2", STAFF, IN_PROGRESS), item("b", 2, "2", STAFF, IN_PROGRESS),
             item("c", 2, "2", STAFF, IN_PROGRESS)]
    history = build(docs, items)
    assert history.first_reported("b", 1) == "2023-10-31"
    # closed in the bulletin for April 2024 (its end: 2024-04-30)
    assert history.days_open("a", 1, AS_OF) == (date(2024, 4, 30) - date(2023, 10, 31)).days
    # still open: to the run's as-of; a bulletin without as_of date reports for its publish date
    assert history.days_open("c", 2, AS_OF) == (AS_OF - date(2023, 10, 31)).days
    assert history.problem_of("c", 2).last_reported == "2025-01-15"  # type: ignore[union-attr]


def test_history_csv_lists_sequences_of_two_bulletins_or_more() -> None:
    docs = [doc("a", "2023-10-31"), doc("b", "2024-04-30"),
            doc("old", "2020-12-31", feedback="2020-07-22"),
            doc("sub", "2024-01-31", unit="中共青岑县林业局党组")]
    items = [item("a", 1, "1", WATER, IN_PROGRESS, "2024-06"), item("b", 1, "1", WATER, COMPLETED),
             item("a", 2, "13", "规划布局不合理", UNKNOWN), item("a", 3, "(1)", STAFF, IN_PROGRESS,
                                                            parent_no="13"),
             item("b", 2, "(1)", STAFF, COMPLETED, parent_no="13"),
             item("old", 1, "1", CAR, COMPLETED), item("sub", 1, "1", CAR, IN_PROGRESS)]
    items[2].leaf = False
    columns, rows = history_table(build(docs, items))
    assert columns[:5] == ["unit_key", "unit", "inspection", "problem_key", "step"]
    assert [(r["problem_key"], r["step"], r["doc_id"], r["status"], r["match_score"]) for r in rows] == [
        ("青岑县水利局·2023-07-14·2023-10-31·1", 1, "a", IN_PROGRESS, None),
        ("青岑县水利局·2023-07-14·2023-10-31·1", 2, "b", COMPLETED, 100.0),
        ("青岑县水利局·2023-07-14·2023-10-31·13(1)", 1, "a", IN_PROGRESS, None),
        ("青岑县水利局·2023-07-14·2023-10-31·13(1)", 2, "b", COMPLETED, 100.0)]
    assert all(r["bulletins"] == 2 and r["appearances"] == 2 and r["last_reported"] == "2024-04-30"
               for r in rows)


def test_one_similarity_matrix_a_bulletin_scores_as_each_pair_alone() -> None:
    """best_similarities (rapidfuzz's cdist, a problem's best title by numpy) gives, for
    every problem and leaf, the score and threshold of title_similarity pair by pair."""
    import random
    from pathlib import Path

    from extract.history import Appearance, Problem, UnitSequence, best_similarities

    samples = Path(__file__).resolve().parent.parent / "samples"
    titles = sorted({line.split("．", 1)[-1].split(".", 1)[-1].strip()
                     for path in sorted(samples.glob("[0-9]*.txt"))
                     for line in path.read_text(encoding="utf-8").splitlines()
                     if 8 <= len(line.strip()) <= 60})
    rng = random.Random(15)
    seq = UnitSequence("单位", [doc("a", "2024-03-31")])
    for _ in range(6):
        problems = []
        for p in range(rng.randint(1, 30)):
            picked = rng.sample(titles, rng.randint(1, 3))  # a problem worded 1–3 ways
            problems.append(Problem(seq, [Appearance(s + 1, seq.docs[0],
                                                     item("a", p, str(p + 1), t, COMPLETED), None)
                                          for s, t in enumerate(picked)]))
        leaves = [item("b", i, str(i + 1), t, IN_PROGRESS)
                  for i, t in enumerate(rng.sample(titles, rng.randint(1, 30)))]
        # some leaves are a problem's title again, or close to it
        leaves += [item("b", 100 + k, str(100 + k), p.appearances[0].item.title + "问题", COMPLETED)
                   for k, p in enumerate(problems[:5])]
        expected = []
        for p_index, problem in enumerate(problems):
            for i_index, leaf in enumerate(leaves):
                score = max(title_similarity(a.item.title, leaf.title)
                            for a in problem.appearances)
                if score >= TITLE_MATCH_MIN:
                    expected.append((p_index, i_index, score))
        got = best_similarities(problems, leaves)
        assert sorted(got) == sorted(expected)
        assert any(score == 100.0 for _, _, score in got)
