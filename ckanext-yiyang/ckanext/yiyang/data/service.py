"""Data services (API) attached to an entry: a resource of kind ``service`` with a
``service_url``, checked in the background — status code, latency, when — on every save and by
``ckan yiyang data check-services``."""

from __future__ import annotations

import time
from typing import Any

import ckan.plugins.toolkit as tk
import requests

from ckanext.yiyang.data import model

TIMEOUT = 10


def is_service(resource: dict[str, Any]) -> bool:
    return resource.get("resource_kind") == "service" and bool(resource.get("service_url"))


def enqueue(resource: dict[str, Any]) -> None:
    tk.enqueue_job(check_service, [resource["id"]], title=f"yiyang service check {resource['id']}")


def check_service(resource_id: str) -> dict[str, Any]:
    """The job: one GET of the service's address; records the status code and the latency in
    ms, or the reason it could not be reached."""
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    try:
        response = requests.get(
            resource["service_url"], timeout=TIMEOUT, stream=True, allow_redirects=True
        )
        status = response.status_code
        response.close()
    except requests.Timeout:
        error = f"timeout after {TIMEOUT}s"
    except requests.RequestException as failure:
        error = type(failure).__name__
    latency = int((time.monotonic() - started) * 1000)
    model.set_state(
        resource_id,
        resource["package_id"],
        service_status=status,
        service_latency_ms=latency if status is not None else None,
        service_error=error,
        service_checked_at=model.now(),
    )
    return {"status": status, "latency_ms": latency, "error": error}


def all_services() -> list[dict[str, Any]]:
    """Every active resource with a ``service_url`` (for the periodic check)."""
    from ckan import model as ckan_model

    found = []
    query = ckan_model.Session.query(ckan_model.Resource).filter(
        ckan_model.Resource.state == "active"
    )
    for resource in query:
        extras = resource.extras or {}
        if extras.get("resource_kind") == "service" and extras.get("service_url"):
            found.append(
                {
                    "id": resource.id,
                    "package_id": resource.package_id,
                    "resource_kind": "service",
                    "service_url": extras["service_url"],
                }
            )
    return found
