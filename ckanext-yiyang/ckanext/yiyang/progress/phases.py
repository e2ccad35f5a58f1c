"""The phases of the notice's 时间安排 and what each asks of a unit by its deadline.

The notice (2015) sets the phases; the office sets their dates for the current round in the
progress view (``yiyang_progress_phase_update``, stored), over the configured defaults
(``config.py``). Four phases ask
something of every unit — a milestone; the other two are the office's own work and only show
where the schedule stands:

==============  =========================  ====================================================
phase           default deadline           a unit has met it when
==============  =========================  ====================================================
preparation     2015-09-30 准备阶段          (the office's)
report          2015-10-20 填报调查表报送     at least one entry submitted for review, and the
                                           three contacts of 附件4 named
review          2015-11-30 会审意见反馈       entries registered, none still a draft
sorting         2015-12-31 目录梳理完成       entries registered, none a draft or returned
platform        2016-02-29 共享平台建设       (the office's)
launch          2016-04-30 上线与目录出版     an entry published, none a draft, returned or
                                           waiting for review
==============  =========================  ====================================================

A milestone is judged on the unit as it stands now: *met* when its condition holds, *missed*
when it does not and the deadline (a day included) has passed, *upcoming* before that. A unit
that catches up is on schedule again; a unit with a missed milestone is *behind schedule*. A
new round of cataloguing gets new dates from the office, in the progress view.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.progress import config

MET, MISSED, UPCOMING = "met", "missed", "upcoming"
PASSED, CURRENT = "passed", "current"
#: The phases that judge the units.
UNIT_PHASES = ("report", "review", "sorting", "launch")
#: The contacts of 附件4 the report asks for, as the organization fields name them.
CONTACT_ROLES = ("leader", "business_contact", "it_contact")


@dataclasses.dataclass(frozen=True)
class Phase:
    key: str
    deadline: datetime.date

    @property
    def judges_units(self) -> bool:
        return self.key in UNIT_PHASES

    def status(self, today: datetime.date, current: str | None) -> str:
        if today > self.deadline:
            return PASSED
        return CURRENT if self.key == current else UPCOMING


class Wording:
    """The texts of one report in the request's language, each made once: the report asks
    the same few dozen for each of thousands of units, and each translation looks up the
    request's locale (at 4,995 units, 230,000 of them took 7 of the view's 9 seconds; kept
    in ``flask.g`` instead of here, each look-up of the memo still cost as much again)."""

    def __init__(self) -> None:
        self._made: dict[Any, str] = {}

    def once(self, key: Any, make: Callable[[], str]) -> str:
        text = self._made.get(key)
        if text is None:
            text = self._made[key] = make()
        return text


def phase_title(key: str, wording: Wording | None = None) -> str:
    wording = wording or Wording()
    return wording.once(("phase_title", key), lambda: _phase_titles().get(key, key))


def _phase_titles() -> dict[str, str]:
    _ = tk._
    return {
        "preparation": _("Preparation"),
        "report": _("Survey forms reported"),
        "review": _("Joint review and opinions"),
        "sorting": _("Catalog sorted out"),
        "platform": _("Sharing platform built"),
        "launch": _("Launch and publication of the catalog"),
    }


def phase_rule(key: str) -> str:
    """What the phase asks of a unit, in the request's language."""
    _ = tk._
    return {
        "preparation": _("The office's own work: no unit is judged on it."),
        "report": _(
            "At least one entry submitted for review, and the leader in charge, the business "
            "contact and the IT contact of 附件4 named."
        ),
        "review": _("Every entry registered has gone to review: none is still a draft."),
        "sorting": _("The opinions are worked in: no entry is a draft or returned."),
        "platform": _("The office's own work: no unit is judged on it."),
        "launch": _(
            "At least one entry published, and none a draft, returned or waiting for review."
        ),
    }.get(key, "")


def deadlines() -> dict[str, datetime.date]:
    """The deadline of each phase: the office's date of the current round where it set one
    (an emptied one leaves the phase out), else the configured one."""
    from ckan import model

    from ckanext.yiyang.progress.model import ProgressPhase

    found = config.deadlines()
    for row in model.Session.query(ProgressPhase).filter(ProgressPhase.phase.in_(config.PHASES)):
        if row.deadline is None:
            found.pop(row.phase, None)
        else:
            found[row.phase] = row.deadline
    return found


def schedule() -> list[Phase]:
    """The phases of the current round in the order of their deadlines."""
    found = [Phase(key, day) for key, day in deadlines().items()]
    return sorted(found, key=lambda phase: (phase.deadline, config.PHASES.index(phase.key)))


def current_phase(phases: list[Phase], today: datetime.date) -> str | None:
    """The phase we are in: the first whose deadline is today or later; None when all passed."""
    for phase in phases:
        if phase.deadline >= today:
            return phase.key
    return None


def contact_roles_missing(extras: Mapping[str, Any] | None) -> list[str]:
    """The roles of 附件4 whose name the unit has not given (from the stored organization
    extras, where each contact is JSON text)."""
    missing = []
    for role in CONTACT_ROLES:
        raw = (extras or {}).get(role)
        try:
            contact = json.loads(raw) if isinstance(raw, str) and raw.strip() else raw
        except ValueError:
            contact = None
        name = contact.get("name") if isinstance(contact, dict) else None
        if not (isinstance(name, str) and name.strip()):
            missing.append(role)
    return missing


def problems(key: str, unit: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What keeps ``unit`` (its figures) from meeting the milestone of phase ``key``:
    ``[{"code", "count"?, "roles"?}]``; empty when it is met."""
    found: list[dict[str, Any]] = []
    entries = unit["entries"]
    if key == "report":
        if entries == 0:
            found.append({"code": "no_entry"})
        elif entries == unit["draft"]:
            found.append({"code": "none_submitted"})
        if unit["contacts_missing"]:
            found.append({"code": "contacts", "roles": list(unit["contacts_missing"])})
        return found
    if key in ("review", "sorting", "launch") and entries == 0:
        return [{"code": "no_entry"}]
    if key == "launch" and unit["published"] == 0:
        found.append({"code": "none_published"})
    states = {"review": ("draft",), "sorting": ("draft", "returned")}.get(
        key, ("draft", "returned", "submitted")
    )
    if key in ("review", "sorting", "launch"):
        for state in states:
            if unit[state]:
                found.append({"code": state, "count": unit[state]})
    return found


def contact_role_label(role: str, wording: Wording | None = None) -> str:
    wording = wording or Wording()
    return wording.once(("contact_role", role), lambda: _contact_role_labels().get(role, role))


def _contact_role_labels() -> dict[str, str]:
    _ = tk._
    return {
        "leader": _("Leader in charge"),
        "business_contact": _("Business contact"),
        "it_contact": _("IT contact"),
    }


def problem_text(problem: Mapping[str, Any], wording: Wording | None = None) -> str:
    wording = wording or Wording()
    key = ("problem", problem["code"], problem.get("count", 0), tuple(problem.get("roles") or ()))
    return wording.once(key, lambda: _problem_text(problem, wording))


def _problem_text(problem: Mapping[str, Any], wording: Wording) -> str:
    code = problem["code"]
    count = problem.get("count", 0)
    if code == "no_entry":
        return tk._("no entry registered")
    if code == "none_submitted":
        return tk._("no entry submitted for review")
    if code == "contacts":
        # the separators are punctuation of the language: "、" and "；" in Chinese
        roles = tk._(", ").join(contact_role_label(r, wording) for r in problem["roles"])
        return tk._("contacts of 附件4 not named: {roles}").format(roles=roles)
    if code == "none_published":
        return tk._("no entry published")
    if code == "draft":
        return tk.ungettext(
            "{count} entry still a draft", "{count} entries still drafts", count
        ).format(count=count)
    if code == "returned":
        return tk.ungettext(
            "{count} entry returned and not resubmitted",
            "{count} entries returned and not resubmitted",
            count,
        ).format(count=count)
    if code == "submitted":
        return tk.ungettext(
            "{count} entry waiting for review", "{count} entries waiting for review", count
        ).format(count=count)
    return code


def milestones(
    unit: Mapping[str, Any],
    phases: list[Phase],
    today: datetime.date,
    wording: Wording | None = None,
) -> list[dict[str, Any]]:
    """The unit's milestones: ``[{"phase", "deadline", "status", "problems", "reason"}]``."""
    wording = wording or Wording()
    separator = wording.once("; ", lambda: tk._("; "))
    result = []
    for phase in phases:
        if not phase.judges_units:
            continue
        found = problems(phase.key, unit)
        if not found:
            status = MET
        elif today > phase.deadline:
            status = MISSED
        else:
            status = UPCOMING
        result.append(
            {
                "phase": phase.key,
                "deadline": phase.deadline.isoformat(),
                "status": status,
                "problems": found,
                "reason": separator.join(problem_text(p, wording) for p in found),
            }
        )
    return result


def behind_reasons(marks: list[dict[str, Any]], wording: Wording | None = None) -> list[str]:
    """One line per missed milestone: ``<phase> (<deadline>): <what is missing>``."""
    wording = wording or Wording()
    line = wording.once("behind", lambda: tk._("{phase} (due {deadline}): {reason}"))
    return [
        line.format(
            phase=phase_title(m["phase"], wording), deadline=m["deadline"], reason=m["reason"]
        )
        for m in marks
        if m["status"] == MISSED
    ]
