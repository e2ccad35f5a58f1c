"""A state machine declared once: its states with their labels, and its transitions with who
may make them. The features declare theirs (``review/states.py``, ``subscription/states.py``,
``demand/states.py``); the actions check a transition against it and the templates ask it which
steps to offer, so no page restates the rules.

A transition itself stays where the feature carries it out, as one conditional UPDATE
(``… WHERE status IN (the states it starts from)``) where concurrency matters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import ckan.plugins.toolkit as tk


def N_(msgid: str) -> str:
    """Marks a label's msgid for extraction; :meth:`Machine.label` translates it when asked."""
    return msgid


#: A state's label: an English msgid translated by ``tk._`` when asked, or a language dict
#: ``{"zh_Hans_CN": …, "en": …}`` where the label is a scheming choice of the entry's schema.
Label = str | Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Transition:
    """``action`` leads from any of ``starts`` to ``target``; ``by``: who may make it (the
    auth function of the action decides; this is its summary for people)."""

    action: str
    starts: frozenset[str]
    target: str
    by: str = ""


@dataclasses.dataclass(frozen=True)
class Machine:
    """The states (in display order) and transitions of one kind of object."""

    labels: Mapping[str, Label]
    transitions: Mapping[str, Transition]

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, state: str, lang: str | None = None) -> str:
        """The label of ``state`` in ``lang`` (default: the request's); unknown: itself."""
        label = self.labels.get(state)
        if label is None:
            return state
        if isinstance(label, str):
            return tk._(label)
        lang = lang or _lang()
        return label["en"] if lang == "en" else label["zh_Hans_CN"]

    def choices(self) -> list[dict[str, Label]]:
        """The states as scheming choices (``value``, ``label``)."""
        return [{"value": state, "label": label} for state, label in self.labels.items()]

    def allows(self, action: str, state: str) -> bool:
        """``action`` may be taken from ``state``."""
        transition = self.transitions.get(action)
        return transition is not None and state in transition.starts

    def next_actions(self, state: str) -> list[str]:
        """The actions that may be taken from ``state``, in declaration order."""
        return [a for a, t in self.transitions.items() if state in t.starts]

    def starts(self, action: str) -> frozenset[str]:
        return self.transitions[action].starts

    def target(self, action: str) -> str:
        return self.transitions[action].target


def transitions(*declared: Transition) -> dict[str, Transition]:
    """The transitions by action."""
    return {t.action: t for t in declared}


def _lang() -> str:
    try:
        return tk.h.lang() or "zh_Hans_CN"
    except (RuntimeError, AttributeError):  # outside a request
        return "zh_Hans_CN"
