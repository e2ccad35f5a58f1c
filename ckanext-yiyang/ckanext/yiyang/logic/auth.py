"""What the catalog's auth functions return."""

from __future__ import annotations

from ckan.types import AuthResult


def allow(ok: bool, message: str) -> AuthResult:
    """Success, or a refusal with ``message`` saying who may do it."""
    return {"success": True} if ok else {"success": False, "msg": message}
