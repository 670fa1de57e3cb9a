"""themes: recurring problem types across units (jieba + the theme map)."""

from __future__ import annotations

from pathlib import Path

from test_analysis_fixtures import DOCUMENTS, ITEMS, TRICKY_TITLE

from extract.themes import (
    SUBSTRING_KEYWORD_MIN_LEN,
    THEMES_COLUMNS,
    UNMATCHED_THEME,
    USERDICT_PATH,
    Theme,
    ThemeMatcher,
    load_themes,
    match_themes,
    themes,
    tokenize,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_userdict_has_the_inspection_vocabulary() -> None:
    words = [line.split()[0] for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert len(words) >= 60
    assert len(set(words)) == len(words)
    for term in ("第一议题", "两个责任", "三重一大", "中央八项规定精神", "三会一课", "一岗双责",
                 "理论学习中心组", "党风廉政建设", "干部选拔任用", "请示报告"):
        assert term in words


def test_tokens_keep_terms_whole() -> None:
    assert "中央八项规定精神" in tokenize("违反中央八项规定精神公务接待不规范")
    assert "三会一课" in tokenize("“三会一课”制度落实不到位")
    assert "一岗双责" in tokenize("班子成员一岗双责履行不到位")


def test_short_keyword_must_be_a_whole_token() -> None:
    theme_map = load_themes()
    assert "作风问题" in match_themes("工作作风不务实", theme_map)
    assert "作风问题" not in match_themes("工作风险排查不到位", theme_map)


def reference_match(title: str, theme_map: list[Theme]) -> dict[str, list[str]]:
    """The rule as stated: every keyword of every theme tried in turn, the short ones
    against the tokens of the whole title."""
    tokens = set(tokenize(title))
    found: dict[str, list[str]] = {}
    for theme in theme_map:
        hits = [kw for kw in theme.keywords
                if kw in tokens or (len(kw) >= SUBSTRING_KEYWORD_MIN_LEN and kw in title)]
        if hits:
            found[theme.name] = hits
    return found


def test_the_matcher_finds_what_trying_every_keyword_on_whole_titles_finds() -> None:
    """ThemeMatcher looks keywords up by the title's characters and cuts only the blocks
    holding a short keyword: over every line of the text samples (titles, measures,
    headers; punctuation, Latin, digits between the ideographs) the matches are those of
    the rule as stated."""
    theme_map = load_themes()
    matcher = ThemeMatcher(theme_map)
    lines = {line.strip() for path in sorted(SAMPLES.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(lines) > 3_000
    matched = 0
    for line in sorted(lines):
        expected = reference_match(line, theme_map)
        assert matcher.match(line) == expected, line
        matched += bool(expected)
    assert matched > 1_000
    # a keyword given twice, an empty one, one across punctuation
    odd = [Theme("甲", ("作风", "作风", "")), Theme("乙", ("不到位", "风险，排查"))]
    for title in ("工作作风不务实，排查不到位", "工作风险，排查不到位", "作风作风"):
        assert ThemeMatcher(odd).match(title) == reference_match(title, odd), title


def test_every_theme_keyword_list_is_nonempty_and_names_unique() -> None:
    theme_map = load_themes()
    assert len(theme_map) >= 10
    assert len({t.name for t in theme_map}) == len(theme_map)
    assert all(t.keywords for t in theme_map)


def test_theme_rows() -> None:
    columns, rows = themes(DOCUMENTS, ITEMS)
    assert columns == [c for c, _ in THEMES_COLUMNS]
    got = [(r["theme"], r["units_affected"], r["items"], r["share_of_units"]) for r in rows]
    # 6 units have leaf items in their latest bulletin (a2 b2 c1 d1 e1 u1).
    assert got == [
        ("意识形态", 2, 2, 33.3),
        ("理论学习", 1, 2, 16.7),
        ("主体责任落实", 1, 1, 16.7),
        ("民主集中制", 1, 1, 16.7),
        ("中央八项规定精神", 1, 1, 16.7),
        ("作风问题", 1, 1, 16.7),
        ("选人用人", 1, 1, 16.7),
        ("党建/组织生活", 1, 1, 16.7),
        ("廉政风险与腐败", 1, 1, 16.7),
        ("履职尽责", 1, 1, 16.7),  # 谋划推动友城发展…
        ("制度建设", 1, 1, 16.7),
        (UNMATCHED_THEME, 1, 1, 16.7),  # 与非洲至今没有结交友城
    ]
    first = rows[0]
    assert first["keywords"] == "意识形态(2)；意识形态工作责任制(1)；阵地(1)"
    assert first["example_titles"] == "意识形态工作责任制落实不到位；意识形态阵地管理不严"
    democracy = next(r for r in rows if r["theme"] == "民主集中制")
    assert democracy["example_titles"] == TRICKY_TITLE


def test_themes_are_deterministic() -> None:
    assert themes(DOCUMENTS, ITEMS) == themes(list(reversed(DOCUMENTS)), list(reversed(ITEMS)))
