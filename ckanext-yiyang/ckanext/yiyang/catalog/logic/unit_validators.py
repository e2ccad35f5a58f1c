"""Validators of the unit (organization) schema. Registered by the base plugin.

Errors are keyed by the field (the API's ``ValidationError`` shape and the form's error list
name it); the message says what is wrong, and for a contact which of its parts.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from typing import Any, NoReturn

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.yiyang import config, roles
from ckanext.yiyang.catalog import credit_code, units
from ckanext.yiyang.visibility import redaction

__all__ = [
    "yiyang_contact",
    "yiyang_contact_output",
    "yiyang_credit_code",
    "yiyang_unit_code",
    "yiyang_unit_group",
    "yiyang_unit_official",
]

_ = tk._

#: The parts of a contact of 附件4 (分管负责人及联络人名单), in the form's column order.
CONTACT_FIELDS = ("name", "position", "office_phone", "mobile", "email")

#: The parts shown to government users only (see ``yiyang_contact_output``).
PRIVATE_CONTACT_FIELDS = redaction.PRIVATE_CONTACT_FIELDS

# Separator of the form's flat inputs (``leader-mobile``): CKAN's form parsing splits
# ``__`` into nested keys and wants a number after it, so ``-`` it is.
FORM_SEPARATOR = "-"

_UNIT_CODE = re.compile(r"[0-9]{3}")
# All mobile numbers in service begin 13–19.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1[0-9]{10}$)")
_PHONE_CHARS = re.compile(r"\+?[0-9 ()\-]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_TEXT_MAX = 100


def yiyang_unit_group(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """单位类别: one of the five groups of 附件1; required except for the e-government office."""
    value = _text(data.get(key))
    if not value:
        _absent(key, data, errors, context, _("Choose a unit group"))
    if value not in units.unit_group_codes(bool(context.get("yiyang_harvest"))):
        errors[key].append(
            _("{value} is not a unit group; choose one of {codes}").format(
                value=value, codes=", ".join(sorted(units.unit_group_codes()))
            )
        )
        raise tk.StopOnError
    data[key] = value


def yiyang_unit_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """单位编码: 3 digits, unique within the unit group; required except for the office."""
    value = _text(data.get(key))
    if not value:
        _absent(key, data, errors, context, _("Give the unit code: 3 digits, such as 006"))
    if not _UNIT_CODE.fullmatch(value):
        errors[key].append(
            _("{value} is not a unit code: give 3 digits, such as 006").format(value=value)
        )
        raise tk.StopOnError
    data[key] = value

    group = _text(data.get((*key[:-1], "unit_group")))
    if group not in units.unit_group_codes(bool(context.get("yiyang_harvest"))):
        return  # the group's own error says what to fix first
    other = _unit_with_code(group, value, _group_being_updated(data, context))
    if other is not None:
        errors[key].append(
            _("Unit code {code} is already used by {unit} in unit group {group}").format(
                code=value, unit=other.title or other.name, group=group
            )
        )


def yiyang_credit_code(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """统一社会信用代码: optional; GB 32100-2015 (see ``catalog.credit_code``).

    Blanks are dropped and letters capitalised before the check, so a code copied from a
    certificate with spaces passes.
    """
    value = data.get(key)
    if value is tk.missing or value is None:
        data.pop(key, None)
        raise tk.StopOnError
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors[key].append(_("Give the code as text"))
        raise tk.StopOnError
    code = credit_code.normalize(str(value))
    data[key] = code
    if not code:
        return
    problem = credit_code.problem(code)
    if problem is not None:
        errors[key].append(_credit_code_message(problem, code))


def yiyang_contact(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A contact of 附件4: an object of name, position, office_phone, mobile, email.

    Accepts the object, its JSON text, or the form's flat inputs ``<field>-<part>``; every part
    is optional. Stores the non-empty parts as JSON (group extras are strings).
    """
    value = data.get(key)
    if isinstance(value, str):
        # Text that is no JSON stays a string, and is refused below as not an object.
        with contextlib.suppress(ValueError):
            value = json.loads(value) if value.strip() else None
    problems: list[str] = []
    contact: dict[str, Any] = {}
    if isinstance(value, dict):
        contact.update(value)
    elif value is not tk.missing and value is not None:
        problems.append(
            _("Give the contact as an object of name, position, office_phone, mobile, email")
        )
    contact.update(_form_inputs(key, data))

    unknown = sorted(str(part) for part in contact if part not in CONTACT_FIELDS)
    if unknown:
        problems.append(
            _("Unknown parts {parts}; a contact has {known}").format(
                parts=", ".join(unknown), known=", ".join(CONTACT_FIELDS)
            )
        )
    cleaned: dict[str, str] = {}
    for part in CONTACT_FIELDS:
        raw = contact.get(part)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            problems.append(_("{part}: must be text").format(part=_contact_part_label(part)))
            continue
        text = _text(raw) if part in PRIVATE_CONTACT_FIELDS else str(raw).strip()
        if not text:
            continue
        problem = _contact_part_problem(part, text)
        if problem:
            problems.append(problem)
            continue
        cleaned[part] = _normalize_mobile(text) if part == "mobile" else text

    if problems:
        errors[key].extend(problems)
        raise tk.StopOnError
    data[key] = json.dumps(cleaned, ensure_ascii=False)


def yiyang_contact_output(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The stored contact as an object with all five parts ("" for those not given).

    Phone numbers and e-mail addresses are personal data of the units' staff: only government
    users (members of a unit, sysadmins) and trusted internal calls see them; others get the
    name and position, with the other parts "".
    """
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            value = {}
    if not isinstance(value, dict):
        value = {}
    contact = {part: str(value.get(part) or "") for part in CONTACT_FIELDS}
    if not redaction.sees_contact_details(context):
        contact = redaction.redact_contact(contact)
    data[key] = contact


def _text(value: Any) -> str:
    """The value as trimmed text. Full-width digits, letters and dashes, which Chinese input
    methods type, become their ASCII forms (NFKC)."""
    if value is tk.missing or value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


#: A unit's official identity, as the office lists it (附件1): name, address, group and code.
#: The credit code is the unit's own certificate's, which its admins fill in.
OFFICIAL_FIELDS = ("title", "name", "unit_group", "unit_code")


def may_change_official_fields(user_name: str | None) -> bool:
    """Only sysadmins and the e-government office change a unit's name and codes; a unit's
    own admins keep its description, picture and contacts up to date."""
    return roles.is_reviewer(user_name)


def yiyang_unit_official(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An official field (OFFICIAL_FIELDS) of an existing unit changes only by a sysadmin or
    the e-government office; anyone who may create a unit sets it at creation."""
    group = _group_being_updated(data, context)
    if group is None or context.get("ignore_auth"):
        return
    field = key[-1]
    stored = (
        getattr(group, field) if field in ("title", "name") else (group.extras or {}).get(field)
    )
    if _text(data.get(key)) == _text(stored):
        return
    if not may_change_official_fields(context.get("user")):
        errors[key].append(
            _("Only the e-government office changes a unit's name and codes: ask it to")
        )
        raise tk.StopOnError


def _absent(
    key: FlattenKey,
    data: FlattenDataDict,
    errors: FlattenErrorDict,
    context: Context,
    message: str,
) -> NoReturn:
    """A required unit field is empty: fine for the office (not a unit of 附件1), else an error."""
    if not _is_office(data, context):
        errors[key].append(message)
    data.pop(key, None)
    raise tk.StopOnError


def _is_office(data: FlattenDataDict, context: Context) -> bool:
    name = _text(data.get(("name",)))
    if not name:
        group = _group_being_updated(data, context)
        name = group.name if group is not None else ""
    return name == config.office_org()


def _group_being_updated(data: FlattenDataDict, context: Context) -> model.Group | None:
    """The organization an update validates, None on create.

    ``organization_update`` puts it in the context; a context passed along from an earlier call
    may hold another one, so it must match the ``id`` being validated.
    """
    group = context.get("group")
    ident = _text(data.get(("id",)))
    if group is None or not ident or ident not in (group.id, group.name):
        return None
    return group


def _unit_with_code(group: str, code: str, this: model.Group | None) -> model.Group | None:
    """Another live organization of unit group ``group`` with unit code ``code``, if any."""
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True),
        model.Group.state != model.State.DELETED,
        model.Group.extras["unit_group"].astext == group,
        model.Group.extras["unit_code"].astext == code,
    )
    if this is not None:
        query = query.filter(model.Group.id != this.id)
    return query.first()


def _form_inputs(key: FlattenKey, data: FlattenDataDict) -> dict[str, str]:
    """Take the form's ``<field>-<part>`` inputs out of the unknown keys, where navl put them."""
    extras = data.get((*key[:-1], "__extras"))
    if not isinstance(extras, dict):
        return {}
    prefix = f"{key[-1]}{FORM_SEPARATOR}"
    return {
        name[len(prefix) :]: extras.pop(name)
        for name in [name for name in extras if isinstance(name, str) and name.startswith(prefix)]
    }


def _contact_part_label(part: str) -> str:
    labels = {
        "name": _("Contact name"),
        "position": _("Position"),
        "office_phone": _("Office phone"),
        "mobile": _("Mobile"),
        "email": _("E-mail address"),
    }
    return labels[part]


def _contact_part_problem(part: str, text: str) -> str | None:
    label = _contact_part_label(part)
    if part in ("name", "position"):
        if len(text) > _TEXT_MAX:
            return _("{part}: at most {count} characters").format(part=label, count=_TEXT_MAX)
        return None
    if part == "mobile":
        if not _MOBILE.fullmatch(_normalize_mobile(text)):
            return _("{part}: {value} is not an 11-digit mobile number beginning with 1").format(
                part=label, value=text
            )
        return None
    if part == "office_phone":
        digits = sum(char in "0123456789" for char in text)
        if not _PHONE_CHARS.fullmatch(text) or not 7 <= digits <= 20:
            return _(
                "{part}: {value} is not a phone number; use digits, dashes and parentheses, "
                "such as 0737-6206182"
            ).format(part=label, value=text)
        return None
    if not _EMAIL.fullmatch(text):
        return _("{part}: {value} is not an e-mail address").format(part=label, value=text)
    return None


def _normalize_mobile(text: str) -> str:
    """11 digits: blanks and dashes dropped, and a leading +86 / 0086 / 86."""
    digits = re.sub(r"[\s\-]", "", text)
    return _MOBILE_PREFIX.sub("", digits)


def _credit_code_message(problem: credit_code.Problem, code: str) -> str:
    Problem = credit_code.Problem
    if problem is Problem.LENGTH:
        return _("A unified social credit code has 18 characters, not {count}").format(
            count=len(code)
        )
    if problem is Problem.CHARACTER:
        return _("Use only digits and capital letters other than I, O, Z, S and V")
    if problem is Problem.AUTHORITY:
        return _(
            "The first character, {char}, is not a registration authority of GB 32100"
        ).format(char=code[0])
    if problem is Problem.CATEGORY:
        return _(
            "The second character, {char}, is not a kind of organization that registration "
            "authority {authority} registers"
        ).format(char=code[1], authority=code[0])
    if problem is Problem.DIVISION:
        return _("Characters 3 to 8 must be the 6 digits of an administrative division code")
    if problem is Problem.ORGANIZATION_CODE:
        return _("Characters 9 to 17 are not a valid organization code (GB 11714)")
    return _("The check character (the last one) does not match: is a character mistyped?")
