"""Typed access to the options of the notifications (``config_declaration.yaml`` here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def mail_enabled() -> bool:
    """Whether notifications are also sent by e-mail."""
    return tk.asbool(tk.config.get("ckanext.yiyang.notify.mail", True))


def queue() -> str:
    """The job queue the e-mails are sent from."""
    return tk.config.get("ckanext.yiyang.notify.queue") or "default"


def site_title() -> str:
    """The portal's title, the prefix of every subject."""
    return tk.config.get("ckan.site_title") or ""


def site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")
