"""GB 32100-2015 unified social credit codes (ckanext.yiyang.catalog.credit_code)."""

from __future__ import annotations

import pytest

from ckanext.yiyang.catalog import credit_code
from ckanext.yiyang.catalog.credit_code import Problem

# Published codes, from public documents: government organs (11), public institutions (12),
# social organizations (51, 53), enterprises (91) and an individual business (92).
PUBLISHED = [
    "11140800558745220K",  # 晋中市文化和旅游局 (a procurement contract)
    "11410182005291054B",  # 荥阳市司法局 (a court judgment)
    "12100000470095016Q",  # 浙江大学
    "12310000425022547M",  # 上海工程技术大学
    "51310110501144395U",  # a social organization registered in 上海市杨浦区
    "53100000500019795A",  # a foundation registered by 民政部
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91110000600037341L",  # python-stdnum's test numbers
    "91310115MA1K3BTP2B",
    "91620105L015101280",
    "92340621MA2UK3PJXE",
    "91350100M000100Y43",  # the example code quoted in explanations of GB 32100-2015
]


def _construct(first8: str, org_body: str) -> str:
    """A well-formed code for the given authority, category, division and organization code."""
    org_code = org_body + credit_code.organization_code_check_character(org_body)
    first17 = first8 + org_code
    return first17 + credit_code.check_character(first17)


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert credit_code.problem(code) is None
    assert credit_code.is_valid(code)


@pytest.mark.parametrize(
    "first8",
    [
        "81430900",  # 工会 (a trade union, like 市总工会 of 附件1)
        "31430900",  # 司法行政: 律师事务所
        "N2430921",  # 农业: 村级集体经济组织
        "Y1430900",  # 其他
        "A1100000",  # 中央军委改革和编制办公室
        "13430900",  # 机构编制: 中央编办管理的群众团体
    ],
)
def test_every_registration_authority_of_the_current_table(first8: str) -> None:
    code = _construct(first8, "MA4L2C3D")
    assert credit_code.problem(code) is None


def test_check_character_of_the_standard_example() -> None:
    assert credit_code.check_character("91350100M000100Y4") == "3"


def test_check_character_31_is_written_0() -> None:
    # Σ C_i·W_i ≡ 0 (mod 31) gives 31 - 0 = 31, written 0.
    assert credit_code.check_character("0" * 17) == "0"


@pytest.mark.parametrize(
    ("body", "check"),
    [("19220382", "1"), ("71526726", "X"), ("M000100Y", "4"), ("00000000", "0")],
)
def test_organization_code_check_character(body: str, check: str) -> None:
    assert credit_code.organization_code_check_character(body) == check


def test_check_character_wants_17_characters_of_the_charset() -> None:
    with pytest.raises(ValueError):
        credit_code.check_character("9135010")
    with pytest.raises(ValueError):
        credit_code.check_character("91350100M000100I4")


def test_normalize_drops_blanks_and_capitalises() -> None:
    assert credit_code.normalize(" 91 350100 m000100y4 3\n") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", Problem.LENGTH),
        ("91350100M000100Y4", Problem.LENGTH),
        ("91350100M000100Y433", Problem.LENGTH),
        ("91350100M000100I43", Problem.CHARACTER),  # I
        ("91350100M000100O43", Problem.CHARACTER),  # O
        ("9135010OM000100Y43", Problem.CHARACTER),
        ("91350100MZ00100Y43", Problem.CHARACTER),  # Z
        ("91350100MS00100Y43", Problem.CHARACTER),  # S
        ("91350100MV00100Y43", Problem.CHARACTER),  # V
        ("91350100m000100y43", Problem.CHARACTER),  # not normalized: lower case
        ("B1350100M000100Y43", Problem.AUTHORITY),
        ("01350100M000100Y43", Problem.AUTHORITY),
        ("95350100M000100Y43", Problem.CATEGORY),  # 工商 gives 1, 2, 3 only
        ("Y2350100M000100Y43", Problem.CATEGORY),  # 其他 is always 1
        ("14350100M000100Y43", Problem.CATEGORY),
        ("9135A100M000100Y43", Problem.DIVISION),
        ("91350100M000100Y53", Problem.ORGANIZATION_CODE),
        ("91350100M000100Y44", Problem.CHECK),
        ("914403001922038217", Problem.CHECK),
    ],
)
def test_invalid_codes(code: str, problem: Problem) -> None:
    assert credit_code.problem(code) is problem
    assert not credit_code.is_valid(code)


@pytest.mark.parametrize("code", PUBLISHED[:4])
def test_every_single_mistyped_character_is_caught(code: str) -> None:
    # ISO 7064 MOD 31-3 catches every single substitution: 31 is prime and no weight is 0.
    for position, original in enumerate(code):
        for char in credit_code.CHARSET:
            if char != original:
                typo = code[:position] + char + code[position + 1 :]
                assert credit_code.problem(typo) is not None, typo


def test_swapped_neighbours_are_caught() -> None:
    code = "914403001922038216"
    for position in range(len(code) - 1):
        if code[position] != code[position + 1]:
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            assert credit_code.problem(swapped) is not None, swapped
