"""The to-do list at the top of each home page: what is waiting for this person, as counts that link
to the filtered list (docs/domain.md, "Rules shared by every part").

Each domain registers its providers (`todo_provider`), in the modules listed in TODO_MODULES. A
provider looks at the person's roles and answers with a handful of indexed count queries, never per-row
work, so the counts are right the moment the underlying state changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# Modules that register to-do providers (imported on first use).
TODO_MODULES: tuple[str, ...] = ("services.common.workdays",)


@dataclass(frozen=True)
class Todo:
    """`count` things of one kind wait for the person; `link` (endpoint and values) lists them."""

    label: object
    count: int
    link: dict
    deadline: date | None = None
    urgent: bool = False


PROVIDERS: dict[str, Callable] = {}


def todo_provider(name: str):
    """Register `func(person) -> list[Todo]` under `name`."""

    def decorator(func):
        PROVIDERS[name] = func
        return func

    return decorator


def todos_for(person) -> list[Todo]:
    """Everything waiting for `person` (only kinds with a count above zero), urgent ones first."""
    for module in TODO_MODULES:
        importlib.import_module(module)
    items = [todo for provider in PROVIDERS.values() for todo in provider(person) if todo.count > 0]
    return sorted(items, key=lambda t: (not t.urgent, t.deadline or date.max))
