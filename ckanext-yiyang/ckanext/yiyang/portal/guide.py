"""The guide (使用指南): one page per role, each a list of steps with the screenshot of the page
the step is done on. The screenshots are taken by the browser tests (tests/browser/test_guide.py)
and served from ``ckanext.yiyang.guide.screenshot_dir``, so they show the portal as it is; a
step whose screenshot is missing shows its text alone."""

from __future__ import annotations

import dataclasses
import pathlib
import re

import ckan.plugins.toolkit as tk

SCREENSHOT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


@dataclasses.dataclass(frozen=True)
class Step:
    title: str
    text: str
    #: the screenshot's name (``NAME.png`` in the screenshot folder)
    screenshot: str
    #: where the step is done (an endpoint), for a link under the step
    endpoint: str | None = None


@dataclasses.dataclass(frozen=True)
class Role:
    key: str
    title: str
    who: str
    steps: list[Step]


def roles() -> list[Role]:
    """The guide's pages, in the order of the work: who registers, who checks, who uses."""
    _ = tk._
    return [
        Role(
            "editor",
            _("Unit editor"),
            _("The clerk of a unit who registers the unit's information resources."),
            [
                Step(
                    _("Log in"),
                    _(
                        "Log in with the account the office made for you. Your unit's admin "
                        "adds you to the unit; an account of no unit sees only what the public sees."
                    ),
                    "guide-editor-login",
                    "user.login",
                ),
                Step(
                    _("Register an entry"),
                    _(
                        "Open 信息资源 and choose “Add entry”. Fill in the name, summary, "
                        "classes, share type and update cycle, and one row per 信息项 "
                        "(data item). Save: the entry is a draft only your unit sees."
                    ),
                    "guide-editor-new-entry",
                    "dataset.new",
                ),
                Step(
                    _("Submit it for review"),
                    _(
                        "On the entry's page choose “Submit for review”. The office reviews it; "
                        "you are notified of the opinion. A returned entry shows the opinion: "
                        "fix it and submit again."
                    ),
                    "guide-editor-entry",
                ),
                Step(
                    _("Fix a returned entry"),
                    _(
                        "A returned entry shows the reviewer's opinion in its review history. "
                        "Edit the entry as asked and submit it again."
                    ),
                    "guide-editor-returned",
                ),
                Step(
                    _("Change a published entry"),
                    _(
                        "Editing a published entry makes a change waiting for review: the "
                        "published version stays as it is until the office approves the change. "
                        "Submit the change on the entry's page."
                    ),
                    "guide-editor-revise",
                ),
                Step(
                    _("Import the survey forms"),
                    _(
                        "Many entries at once: download the Excel template of 附件3 under "
                        "“Survey forms”, fill it in and import it; the imported entries are drafts."
                    ),
                    "guide-editor-survey",
                ),
                Step(
                    _("Submit all at once"),
                    _(
                        "我的待办 (your desk) lists your unit's drafts, such as those of an "
                        "import: “Submit all” sends them for review in one go, with one notice "
                        "to the office."
                    ),
                    "guide-editor-desk",
                    "yiyang_desk.index",
                ),
            ],
        ),
        Role(
            "admin",
            _("Unit admin"),
            _("The leader in charge of a unit (分管负责人): its members and its applications."),
            [
                Step(
                    _("Your unit's page"),
                    _(
                        "The unit's page lists its entries in every state; fill in the unit's "
                        "contacts of 附件4 under “Manage”."
                    ),
                    "guide-admin-unit",
                ),
                Step(
                    _("Decide on applications"),
                    _(
                        "Other units apply to use your conditionally shared entries. Under "
                        "“Subscriptions” approve or reject each application (a rejection needs "
                        "a reason) within the working days the office allows."
                    ),
                    "guide-admin-subscriptions",
                ),
                Step(
                    _("Answer demands"),
                    _(
                        "Under “Demands” accept the demands addressed to your unit, and fulfil "
                        "them with a published entry or reject them with a reason."
                    ),
                    "guide-admin-demands",
                ),
            ],
        ),
        Role(
            "reviewer",
            _("Reviewer (the e-government office)"),
            _(
                "The office reviews every entry before it is published and follows the units' progress."
            ),
            [
                Step(
                    _("The review queue"),
                    _(
                        "“Review queue” lists the entries waiting for review, oldest first. "
                        "Open one, read it, then approve it or return it with an opinion."
                    ),
                    "guide-reviewer-queue",
                ),
                Step(
                    _("Return or approve"),
                    _(
                        "On the entry's page write your opinion and return the entry for "
                        "correction, or approve and publish it. The unit is notified either way."
                    ),
                    "guide-reviewer-return",
                ),
                Step(
                    _("Review a change"),
                    _(
                        "A change of a published entry shows each changed field with its old "
                        "and new value; approving it publishes the new version."
                    ),
                    "guide-reviewer-change",
                ),
                Step(
                    _("The progress of the units"),
                    _(
                        "“Progress” shows each unit against the phases of the round, with "
                        "the units behind schedule and why. Set the phases of the current round "
                        "there; export the table to Excel."
                    ),
                    "guide-reviewer-progress",
                ),
                Step(
                    _("Notices"),
                    _("Publish notices to every unit on the home page under “Notices”."),
                    "guide-reviewer-notices",
                    "yiyang_portal.notices",
                ),
            ],
        ),
        Role(
            "applicant",
            _("Another unit applying"),
            _("A unit that needs another unit's information resource."),
            [
                Step(
                    _("Find the resource"),
                    _(
                        "Search 信息资源 by name, keyword or 信息项, or browse by class and unit. "
                        "The entry's page says how it is shared."
                    ),
                    "guide-applicant-search",
                    "dataset.search",
                ),
                Step(
                    _("Apply to use it"),
                    _(
                        "On the entry's page choose “Apply to use”, give the purpose and the 信息项 "
                        "you need. Unconditionally shared entries are granted at once; the "
                        "providing unit decides on the others."
                    ),
                    "guide-applicant-apply",
                ),
                Step(
                    _("File a demand"),
                    _(
                        "What you need is not in the catalog: file a demand under “Demands”, "
                        "naming the unit that should provide it if you know it."
                    ),
                    "guide-applicant-demand",
                ),
            ],
        ),
        Role(
            "visitor",
            _("The public"),
            _("Anyone, without an account: the published entries open to the public."),
            [
                Step(
                    _("The home page"),
                    _(
                        "The home page shows the figures of the published catalog, the latest "
                        "entries and the office's notices."
                    ),
                    "guide-visitor-home",
                    "home.index",
                ),
                Step(
                    _("Search the catalog"),
                    _(
                        "Search by words or narrow by class, unit, share type and more; each "
                        "entry shows its provider, its public 信息项 and how to obtain it."
                    ),
                    "guide-visitor-search",
                    "dataset.search",
                ),
            ],
        ),
    ]


def role(key: str) -> Role | None:
    return next((r for r in roles() if r.key == key), None)


def screenshot_dir() -> pathlib.Path | None:
    folder = str(tk.config.get("ckanext.yiyang.guide.screenshot_dir") or "").strip()
    return pathlib.Path(folder) if folder else None


def screenshot_path(name: str) -> pathlib.Path | None:
    """The file of the screenshot ``name``, or None when there is none (or the name is not
    one a screenshot may have)."""
    folder = screenshot_dir()
    if folder is None or not SCREENSHOT_NAME.match(name):
        return None
    path = folder / f"{name}.png"
    return path if path.is_file() else None
