"""Which names found in one document name one unit, and which form is the fuller (extract/units.py)."""

from __future__ import annotations

import pytest

from extract.units import fullness, same_unit


@pytest.mark.parametrize(("short", "full"), [
    ("县发改局党组", "中共沣源县发展和改革局党组"),
    ("区文旅体局党组", "中共岚溪区文化广电旅游体育局党组"),
    ("县教体局党组", "中共青岫县教育和体育局党组"),
    ("区住建局党组", "中共岚溪区住房和城乡建设局党组"),
    ("市委外事办", "中共洛阳市委外事工作委员会办公室"),
    ("明州城投集团党委", "中共明州市城市建设投资集团有限公司委员会"),
    ("县法院党组", "中共石岭县人民法院党组"),
    ("临溪市", "中共临溪市委员会"),
    ("市卫健委党委", "中共黛川市卫生健康委员会党组"),
])
def test_abbreviated_and_full_forms_name_one_unit(short: str, full: str) -> None:
    assert same_unit(short, full) and same_unit(full, short)
    assert fullness(full) > fullness(short)


@pytest.mark.parametrize(("a", "b"), [
    ("县财政局", "县交通局"),
    ("中共青石镇委员会", "青石镇白沙村党支部"),  # a township is not the village branch inside it
    ("县委办", "县委巡察办"),  # too short to be an abbreviation by its letters
    ("洛阳市委统战部", "开封市委统战部"),
    (None, "县财政局"),
])
def test_different_units_stay_apart(a: str | None, b: str) -> None:
    assert not same_unit(a, b)
