"""Blanket subjects over several sub-packages.

One plugin may carry the features of several folders — the base plugin ``yiyang`` those of the
catalog, review, subscriptions, demands and notifications, the add-on ``yiyang_survey`` those of
the survey forms and the imports — and each folder keeps the layout ``tk.blanket`` expects
(``logic/action.py``, ``logic/auth.py``, ``helpers.py``, ``subscriptions.py``,
``config_declaration.yaml``). These functions turn a list of such modules into one subject for
``tk.blanket``, taking from each module what the blanket would take from it alone.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import yaml
from ckan.authz import get_local_functions
from ckan.types import SignalMapping

PACKAGE = pathlib.Path(__file__).parent


def members(*modules: ModuleType) -> Callable[[], dict[str, Any]]:
    """The names a blanket registers of each module — its ``__all__``, or else its own public
    functions — as one subject (for ``actions``, ``auth_functions``, ``helpers``,
    ``validators``)."""

    def subject() -> dict[str, Any]:
        found: dict[str, Any] = {}
        for module in modules:
            names = getattr(module, "__all__", None)
            if names:
                found.update({name: getattr(module, name) for name in names})
            else:
                found.update(get_local_functions(module))
        return found

    return subject


def declarations(*folders: str) -> Callable[[Any, Any], None]:
    """A ``config_declarations`` subject that loads the ``config_declaration.yaml`` of each
    folder of the package (``""`` for the package's own)."""

    def declare(declaration: Any, key: Any) -> None:
        for folder in folders:
            path = PACKAGE / folder / "config_declaration.yaml"
            with path.open(encoding="utf-8") as f:
                declaration.load_dict(yaml.safe_load(f))

    return declare


def signals(*modules: ModuleType) -> SignalMapping:
    """The signal subscriptions of each module's ``get_subscriptions()``, one mapping."""
    merged: dict[Any, list[Any]] = {}
    for module in modules:
        for signal, receivers in module.get_subscriptions().items():
            merged.setdefault(signal, []).extend(receivers)
    return merged
