"""Blanket subjects over several sub-packages.

One plugin may carry the features of several folders — the base plugin ``yiyang`` those of the
catalog, review, subscriptions, demands and notifications, the add-on ``yiyang_survey`` those of
the survey forms and the imports — and each folder keeps the layout ``tk.blanket`` expects
(``logic/action.py``, ``logic/auth.py``, ``helpers.py``, ``subscriptions.py``,
``config_declaration.yaml``). These functions turn a list of such modules into one subject for
``tk.blanket``, taking from each module what the blanket would take from it alone.
"""

from __future__ import annotations

import functools
import pathlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import yaml
from ckan.authz import get_local_functions
from ckan.types import SignalMapping

PACKAGE = pathlib.Path(__file__).parent


# What marks a function that wraps the one of the same name (``tk.chained_action`` …).
_CHAINED = ("chained_action", "chained_auth_function", "chained_helper")


def _chained(function: Any) -> bool:
    return any(getattr(function, flag, False) for flag in _CHAINED)


def _chain(outer: Callable[..., Any], inner: Callable[..., Any]) -> Callable[..., Any]:
    """Two chained functions of one name as one, ``outer`` calling ``inner`` calling the
    original: what CKAN makes of them when two plugins, ``outer``'s listed first, register
    them (``catalog`` keeps an entry's codes around ``review``'s diversion to a working copy)."""

    @functools.wraps(outer)
    def both(up_func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return outer(functools.partial(inner, up_func), *args, **kwargs)

    return both


def members(*modules: ModuleType) -> Callable[[], dict[str, Any]]:
    """The names a blanket registers of each module — its ``__all__``, or else its own public
    functions — as one subject (for ``actions``, ``auth_functions``, ``helpers``,
    ``validators``). Chained functions of one name in several modules are chained in the order
    of the modules; any other name given twice is an error, as between two plugins. A module
    whose ``blanket_active()`` answers false is left out (it chains actions of a plugin that
    is not loaded); a module with ``blanket_names()`` gives only the names it answers."""

    def subject() -> dict[str, Any]:
        found: dict[str, Any] = {}
        for module in modules:
            if not getattr(module, "blanket_active", lambda: True)():
                continue
            names = getattr(module, "blanket_names", lambda: None)() or getattr(
                module, "__all__", None
            )
            own = (
                {name: getattr(module, name) for name in names}
                if names
                else dict(get_local_functions(module))
            )
            for name, function in own.items():
                if name not in found:
                    found[name] = function
                elif _chained(found[name]) and _chained(function):
                    found[name] = _chain(found[name], function)
                else:
                    raise ValueError(f"{name} is defined twice (again in {module.__name__})")
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
