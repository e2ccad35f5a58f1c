"""The harvester of a county's catalog: gather, fetch and import (ckanext-harvest's stages).

Gather reads the source's whole list once (``package_search``, full entries, pages of 1,000)
and makes a harvest object only for what differs from the last harvest: an entry new there, an
entry changed there (its ``metadata_modified``), or an entry gone there (deleted, withdrawn,
no longer published: it is withdrawn here). A second harvest of an unchanged source makes no
object at all. Entries whose origin is this catalog are skipped, so that two catalogs
harvesting each other never loop.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.yiyang.harvest import units
from ckanext.yiyang.harvest.remote import Remote, RemoteError
from ckanext.yiyang.review import workflow

log = logging.getLogger(__name__)

SOURCE_TYPE = "yiyang"
#: The content of a harvest object that withdraws its entry here.
WITHDRAW = {"__withdraw__": True}
#: Fields a harvested entry takes from its source only through the system (never as input).
SYSTEM_FIELDS = ("resource_code", "metadata_id", "release_date")
#: Fields of the source that are not copied (CKAN's own bookkeeping, the harvest marks).
SKIPPED_FIELDS = {
    "id",
    "name",
    "owner_org",
    "review_status",
    "harvest_origin",
    "harvest_source_url",
    "tag_string",
}
RESOURCE_SKIPPED = {"id", "package_id", "position", "created", "metadata_modified", "state"}


def own_origin() -> str:
    """This catalog as an origin: its ``ckan.site_url``."""
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def source_config(source_config_text: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(source_config_text or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def local_name(source_name: str, remote_name: str) -> str:
    """URL name of the city's copy of an entry: the source's name before the county's."""
    return units.unit_name(source_name, remote_name)


def harvested_from(package: model.Package | None) -> str | None:
    """Where a harvested entry came from (its source's entry page), None for our own."""
    if package is None:
        return None
    return package.extras.get("harvest_source_url") or None


class YiyangHarvester(HarvesterBase):
    """ckanext-harvest's harvester for a catalog with CKAN's action API (this platform's,
    or a stock CKAN's, whose entries must then meet our schema)."""

    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": tk._("Yiyang catalog platform (county catalogs, CKAN)"),
            "description": tk._(
                "A catalog running this platform or CKAN: entries keep their resource codes "
                "and units, are read-only here and follow their source"
            ),
        }

    def validate_config(self, config: str | None) -> str | None:
        if not config:
            return config
        try:
            parsed = json.loads(config)
        except ValueError as error:
            raise ValueError(
                tk._("The configuration must be JSON: {error}").format(error=error)
            ) from error
        if not isinstance(parsed, dict):
            raise ValueError(tk._("The configuration must be a JSON object"))
        if "api_key" in parsed and not isinstance(parsed["api_key"], str):
            raise ValueError(tk._("api_key must be text"))
        return config

    # gather

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        source = harvest_job.source
        cfg = source_config(source.config)
        remote = Remote(source.url, cfg.get("api_key"))
        try:
            origin = remote.site_url()
            listed = list(remote.entries())
        except RemoteError as error:
            self._save_gather_error(
                tk._("The source catalog cannot be read: {error}").format(error=error),
                harvest_job,
            )
            return None
        mine = own_origin()
        current = {
            obj.guid: obj
            for obj in model.Session.query(HarvestObject).filter(
                HarvestObject.harvest_source_id == source.id,
                HarvestObject.current.is_(True),
            )
        }
        ids: list[str] = []
        seen: set[str] = set()
        for entry in listed:
            entry_origin = str(entry.get("harvest_origin") or origin).rstrip("/")
            if entry_origin == mine:
                continue  # it came from here: never harvested back (no loops)
            if entry.get("review_status") not in (None, "", "published"):
                continue
            guid = str(entry["id"])
            seen.add(guid)
            previous = current.get(guid)
            modified = entry.get("metadata_modified")
            if (
                previous is not None
                and previous.metadata_modified_date is not None
                and (previous.metadata_modified_date.isoformat() == modified)
            ):
                continue  # unchanged there
            entry["harvest_origin"] = entry_origin
            obj = HarvestObject(
                id=str(uuid.uuid4()),
                guid=guid,
                job=harvest_job,
                content=json.dumps(entry, ensure_ascii=False),
                metadata_modified_date=_parse(modified),
                package_id=previous.package_id if previous is not None else None,
            )
            obj.add()
            ids.append(obj.id)
        for guid, previous in current.items():
            if guid not in seen:
                obj = HarvestObject(
                    id=str(uuid.uuid4()),
                    guid=guid,
                    job=harvest_job,
                    content=json.dumps(WITHDRAW),
                    package_id=previous.package_id,
                )
                obj.add()
                ids.append(obj.id)
        model.Session.commit()
        return ids

    # fetch: the content came with the list

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        return True

    # import

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = json.loads(harvest_object.content or "{}")
        user = self._get_user_name()
        # The review workflow does not apply: the source published what comes (APPLYING: saved
        # as it is, not as a pending revision).
        context: dict[str, Any] = {
            "user": user,
            "ignore_auth": True,
            "yiyang_harvest": True,
            workflow.APPLYING: True,
        }
        source = harvest_object.source or harvest_object.job.source
        previous = (
            model.Session.query(HarvestObject)
            .filter(
                HarvestObject.guid == harvest_object.guid,
                HarvestObject.harvest_source_id == source.id,
                HarvestObject.current.is_(True),
            )
            .all()
        )
        try:
            if content == WITHDRAW:
                self._withdraw(context, harvest_object.package_id)
                for obj in previous:
                    obj.current = False
                    obj.add()
                harvest_object.current = False
                harvest_object.add()
                model.Session.commit()
                return True
            package_id = self._save(context, source, content)
        except tk.ValidationError as error:
            model.Session.rollback()
            self._save_object_error(_errors_text(error), harvest_object, "Import")
            return False
        except RemoteError as error:
            model.Session.rollback()
            self._save_object_error(
                tk._("The source catalog cannot be read: {error}").format(error=error),
                harvest_object,
                "Import",
            )
            return False
        for obj in previous:
            obj.current = False
            obj.add()
        harvest_object.package_id = package_id
        harvest_object.current = True
        harvest_object.add()
        model.Session.commit()
        return True

    def _withdraw(self, context: dict[str, Any], package_id: str | None) -> None:
        package = model.Package.get(package_id) if package_id else None
        if package is None or package.state != "active":
            return
        if package.extras.get("review_status") == "withdrawn":
            return
        tk.get_action("package_patch")(
            {**context, "yiyang_system_override": {"review_status": "withdrawn"}},
            {"id": package.id},
        )

    def _save(self, context: dict[str, Any], source: Any, entry: dict[str, Any]) -> str:
        source_package = model.Package.get(source.id)
        source_name = source_package.name if source_package is not None else source.id[:8]
        source_title = source.title or source_name
        org = entry.get("organization") or {}
        if not org.get("name"):
            raise tk.ValidationError({"owner_org": [tk._("The source entry has no unit")]})
        owner = units.county_unit(context["user"], source_name, source_title, org)
        data = _mapped(entry, source_config(source.config).get("defaults") or {})
        data["owner_org"] = owner
        data["name"] = local_name(source_name, str(entry.get("name") or entry["id"]))
        base = str(source.url).rstrip("/")
        override = {key: entry.get(key) for key in SYSTEM_FIELDS if entry.get(key)}
        override.update(
            review_status="published",
            harvest_origin=entry["harvest_origin"],
            harvest_source_url=f"{base}/dataset/{entry.get('name') or entry['id']}",
        )
        save_context = {**context, "yiyang_system_override": override}
        existing = model.Package.get(data["name"])
        if existing is not None:
            data["id"] = existing.id
            data["state"] = "active"
            return str(tk.get_action("package_update")(save_context, data)["id"])
        return str(tk.get_action("package_create")(save_context, data)["id"])


def _mapped(entry: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields as this catalog takes them. A stock CKAN catalog's entries carry
    our fields, if at all, as extras; what they lack comes from the source's ``defaults``
    (the fallback mapping: e.g. ``{"catalog_category": "201", "share_type": …}``)."""
    fields = _schema_fields()
    extras: dict[str, Any] = {
        str(extra.get("key")): extra.get("value")
        for extra in entry.get("extras") or []
        if isinstance(extra, dict)
    }
    data: dict[str, Any] = {
        key: value
        for key, value in {**extras, **entry}.items()
        if key not in SKIPPED_FIELDS and key in fields
    }
    for key, value in defaults.items():
        if key in fields and key not in SKIPPED_FIELDS and data.get(key) in (None, "", []):
            data[key] = value
    data["type"] = "dataset"
    data["tags"] = [{"name": tag["name"]} for tag in entry.get("tags") or [] if tag.get("name")]
    data["resources"] = [
        {key: value for key, value in resource.items() if key not in RESOURCE_SKIPPED}
        for resource in entry.get("resources") or []
    ]
    return data


def _schema_fields() -> set[str]:
    schema = tk.h.scheming_get_dataset_schema("dataset") or {}
    return {field["field_name"] for field in schema.get("dataset_fields", [])} - set(SYSTEM_FIELDS)


def _errors_text(error: tk.ValidationError) -> str:
    """A refused entry's errors as one line: ``字段: 问题; …``."""
    parts = []
    for field, messages in (error.error_dict or {}).items():
        if isinstance(messages, list):
            text = "；".join(str(m) for m in messages if not isinstance(m, dict)) or str(messages)
        else:
            text = str(messages)
        parts.append(f"{field}: {text}")
    return tk._("The entry was refused: {errors}").format(errors="; ".join(parts))


def _parse(value: Any) -> Any:
    import datetime

    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
