"""Pages of the survey forms: the templates to download (附件2, 附件3, 附件4) and the exports of
a search result or of a unit's catalog as the 附件3 workbook. Views call actions only; the
exports read entries with ``package_search`` as the requesting user."""

from __future__ import annotations

import io
import tempfile
from typing import IO, Any
from urllib.parse import quote, urlencode

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError, SearchQueryError
from ckan.views import dataset as dataset_views
from flask import Blueprint, Response, send_file

from ckanext.yiyang import roles
from ckanext.yiyang.survey import config, exports, workbooks

survey = Blueprint("yiyang_survey", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file name of each template, without the unit.
TEMPLATE_FILES = {
    "entries": "附件3 数据提供调查表",
    "demands": "附件2 数据需求调研表",
    "contacts": "附件4 分管负责人及联络人名单",
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _user_units() -> list[dict[str, Any]]:
    """The units the user belongs to (not every unit for a sysadmin: those are all, and a
    template is prefilled only with one's own unit)."""
    user = tk.current_user
    if not user.is_authenticated:
        return []
    units = tk.get_action("organization_list_for_user")(
        _context(), {"id": user.id, "permission": "read"}
    )
    if user.sysadmin:
        member_of = set(roles.units_of(user.name))
        units = [u for u in units if u["id"] in member_of]
    return units


@survey.route("/survey")
def index() -> str:
    """The three templates with a word on each, prefilled with the user's unit."""
    units = _user_units()
    wanted = tk.request.args.get("unit")
    unit = next((u for u in units if u["name"] == wanted), units[0] if units else None)
    return tk.render(
        "yiyang/survey/index.html", {"units": units, "unit": unit, "files": TEMPLATE_FILES}
    )


def _disposition(filename: str, fallback: str) -> str:
    """``attachment`` with the Chinese name as RFC 5987 ``filename*`` and an ASCII fallback
    for clients that know only ``filename``."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(stream: IO[bytes], filename: str, fallback: str) -> Response:
    # what a user may see, or their unit: no shared cache may keep it
    tk.request.environ["__no_cache__"] = True
    stream.seek(0)
    response = send_file(stream, mimetype=XLSX, as_attachment=True, download_name=fallback)
    response.headers["Content-Disposition"] = _disposition(filename, fallback)
    return response


@survey.route("/survey/template/<kind>.xlsx")
def template(kind: str) -> Any:
    """A template; ``?unit=<name>`` fills in its 填表单位."""
    if kind not in workbooks.KINDS:
        return tk.abort(404, tk._("No such template"))
    title = None
    unit_name = tk.request.args.get("unit")
    if unit_name:
        try:
            unit = tk.get_action("organization_show")(
                _context(), {"id": unit_name, "include_datasets": False}
            )
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return tk.abort(404, tk._("Unit not found"))
        title = unit["title"]
    stream = io.BytesIO()
    workbooks.build(kind, title).save(stream)
    name = TEMPLATE_FILES[kind] + (f"（{title}）" if title else "")
    return _download(stream, f"{name}.xlsx", f"yiyang-template-{kind}.xlsx")


def _export(
    search: dict[str, Any], *, unit: str | None, note: str, filename: str, fallback: str, back: str
) -> Any:
    stream = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    try:
        exports.write(
            stream,
            _context(),
            search,
            cap=config.export_max_entries(),
            unit=unit,
            note=note,
        )
    except exports.TooManyEntries as error:
        stream.close()
        tk.h.flash_error(
            tk._(
                "{count} entries found: more than the {cap} one export may hold. Narrow the "
                "search (a unit, a category, a keyword) and export again."
            ).format(count=error.count, cap=error.cap)
        )
        return tk.redirect_to(back)
    except (SearchQueryError, SearchError) as error:
        stream.close()
        return tk.abort(
            400, tk._("Invalid search query: {error_message}").format(error_message=str(error))
        )
    return _download(stream, filename, fallback)


@survey.route("/dataset/export.xlsx")
def export_search() -> Any:
    """The search result of the same arguments as ``/dataset`` (q, facets, sort) as the 附件3
    workbook: every entry the user may see, not one page."""
    args = tk.request.args
    details = dataset_views._get_search_details()
    sort = args.get("sort") or "score desc, metadata_modified desc"
    if "name " not in sort:
        sort += ", name asc"  # a stable order across the pages read
    search = {
        "q": args.get("q", ""),
        "fq": (details["fq"] + " +dataset_type:dataset").strip(),
        "sort": sort,
        "extras": details["search_extras"],
        "include_private": tk.config.get("ckan.search.default_include_private"),
    }
    query = [(k, v) for k, v in args.items(multi=True) if k != "page"]
    shown = "；".join(f"{k}={v}" for k, v in query) or "全部"
    return _export(
        search,
        unit=None,
        note=f"本表由信息资源目录搜索结果导出（搜索条件：{shown}）。",
        filename="信息资源目录（搜索结果）.xlsx",
        fallback="yiyang-catalog-search.xlsx",
        back=tk.h.url_for("dataset.search") + (f"?{urlencode(query)}" if query else ""),
    )


@survey.route("/organization/<id>/export.xlsx")
def export_unit(id: str) -> Any:
    """A unit's catalog as the 附件3 workbook: every entry of the unit the user may see (its
    members: drafts and every review state too)."""
    try:
        unit = tk.get_action("organization_show")(
            _context(), {"id": id, "include_datasets": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Unit not found"))
    search = {
        "q": "",
        "fq": f'+owner_org:"{unit["id"]}" +dataset_type:dataset',
        "sort": "name asc",
        "include_private": True,
        "include_drafts": True,
    }
    return _export(
        search,
        unit=unit["title"],
        note=f"本表由{unit['title']}的信息资源目录导出。",
        filename=f"{unit['title']}信息资源目录.xlsx",
        fallback=f"yiyang-catalog-{unit['name']}.xlsx",
        back=tk.h.url_for("organization.read", id=unit["name"]),
    )
