"""统一社会信用代码 (unified social credit identifier): the coding rules of GB 32100-2015.

Pure functions, no CKAN: the unit schema's validator turns the problems found here into
translated messages.

The code has 18 characters (GB 32100-2015 §4):

====  ===========================================================================
pos.  part
====  ===========================================================================
1     登记管理部门码, the registration authority (table below)
2     机构类别码, the kind of organization, as that authority defines it
3-8   登记管理机关行政区划码, the registering office's division code (GB/T 2260), digits
9-17  主体标识码, the organization code of GB 11714, with its own check character
18    校验码, the check character (GB 32100-2015 §5, after ISO 7064 MOD 31-3)
====  ===========================================================================

Characters are digits and capital letters without I, O, Z, S and V (§4.1).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

#: The 31 characters of the code, in the order of their values 0..30 (GB 32100-2015 §5, 表 1).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: value for value, char in enumerate(CHARSET)}

#: W_i = 3^(i-1) mod 31 for the first 17 positions (GB 32100-2015 §5).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: Registration authority (position 1) → the organization kinds it may give (position 2).
#:
#: GB 32100-2015 itself names 1 机构编制, 5 民政, 9 工商 and Y 其他; it leaves the other
#: authorities to be assigned, and the code administration (全国组织机构统一社会信用代码数据服务
#: 中心) has since given codes to 外交, 司法行政, 文化, 旅游, 宗教, 工会, the military's
#: establishment office and 农业. Units of 附件1 carry such codes (a trade union is 8 1…), so the
#: current table is checked, not only the four of 2015.
REGISTRATION_AUTHORITIES: Mapping[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset(
        "123459"
    ),  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委员会, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": frozenset("129"),  # 旅游: 外国旅游部门代表机构, 港澳台旅游部门代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他: not divided further, always 1
}

#: GB 11714-1997 §5: weights of the 8 body characters of the organization code.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = frozenset("0123456789")
_ORG_CODE_BODY = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Problem(enum.Enum):
    """What is wrong with a code, the first problem found, in the order of the checks."""

    LENGTH = "length"  # not 18 characters
    CHARACTER = "character"  # a character outside CHARSET
    AUTHORITY = "authority"  # position 1 is no registration authority
    CATEGORY = "category"  # position 2 is not a kind that authority gives
    DIVISION = "division"  # positions 3-8 are not 6 digits
    ORGANIZATION_CODE = "organization_code"  # positions 9-17 fail the GB 11714 check
    CHECK = "check"  # position 18 is not the check character of the first 17


def normalize(code: str) -> str:
    """The code as users mean it: surrounding and inner blanks dropped, capital letters."""
    return "".join(code.split()).upper()


def check_character(first17: str) -> str:
    """The check character (position 18) of the first 17 characters (GB 32100-2015 §5).

    C18 = 31 - (Σ C_i·W_i mod 31), and 31 is written 0. Raises ValueError when ``first17``
    is not 17 characters of CHARSET.
    """
    if len(first17) != 17 or any(char not in _VALUE for char in first17):
        raise ValueError(f"not 17 characters of GB 32100: {first17!r}")
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organization_code_check_character(body: str) -> str:
    """The check character of an organization code's 8 body characters (GB 11714-1997 §5).

    C9 = 11 - (Σ C_i·W_i mod 11), where letters count 10 (A) to 35 (Z); 10 is written X and
    11 is written 0.
    """
    if len(body) != 8 or any(char not in _ORG_CODE_BODY for char in body):
        raise ValueError(f"not 8 characters of GB 11714: {body!r}")
    total = sum(
        int(char, 36) * weight for char, weight in zip(body, _ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def problem(code: str) -> Problem | None:
    """The first rule of GB 32100-2015 that ``code`` (already normalized) breaks, or None."""
    if len(code) != 18:
        return Problem.LENGTH
    if any(char not in _VALUE for char in code):
        return Problem.CHARACTER
    categories = REGISTRATION_AUTHORITIES.get(code[0])
    if categories is None:
        return Problem.AUTHORITY
    if code[1] not in categories:
        return Problem.CATEGORY
    if any(char not in _DIGITS for char in code[2:8]):
        return Problem.DIVISION
    if organization_code_check_character(code[8:16]) != code[16]:
        return Problem.ORGANIZATION_CODE
    if check_character(code[:17]) != code[17]:
        return Problem.CHECK
    return None


def is_valid(code: str) -> bool:
    """Whether ``code`` (already normalized) is a well-formed unified social credit code."""
    return problem(code) is None
