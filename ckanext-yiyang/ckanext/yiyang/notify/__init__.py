"""Notifications (catalog-model §9): an in-app inbox and e-mail for every event that asks
someone to act. Other features call :func:`notify`; the base plugin ``yiyang`` serves the
inbox, its actions and the unread count in the header."""

from __future__ import annotations

from ckanext.yiyang.notify.api import notify

__all__ = ["notify"]
