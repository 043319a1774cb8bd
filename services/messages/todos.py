"""The to-do list at the top of each home page: what is waiting for this person, as counts that link
to the filtered list (docs/domain.md, "Rules shared by every part").

Each domain registers its providers in its own module, listed in TODO_MODULES:
- `todo_provider(name)`: `func(person)` for what waits for this person (a judge's queue, a worker's
  confirmations);
- `enterprise_counter(name)`: `func(enterprise_id)` for what waits for an enterprise's HR; HR's home
  page and the enterprise's daily WeCom digest show the same counts;
- `city_counter(name)`: `func()` for what waits for the union administrators; their home page and the
  city's daily digest show them;
- `town_counter(name)`: `func(town_id)` for what waits for a town's union officers (the events their town
  owns: objections to resolve, notices ending, results to publish); their home page and the town's
  daily digest show them.
A provider answers with a handful of indexed count queries, never per-row work, so the counts are right
the moment the underlying state changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services import policy

# Modules that register to-do providers (imported on first use); unread messages (inbox) come last.
TODO_MODULES: tuple[str, ...] = (
    "services.common.workdays", "services.common.notice_todos", "services.proposals.todos",
    "services.competitions.todos", "services.mentorship.todos", "services.titles.todos", "services.accounts.transfers",
    "services.accounts.todos", "services.training.todos",
    "services.messages.inbox",
)


@dataclass(frozen=True)
class Todo:
    """`count` things of one kind wait for the person; `link` (endpoint and values) lists them."""

    label: object
    count: int
    link: dict
    deadline: date | None = None
    urgent: bool = False


PROVIDERS: dict[str, Callable] = {}
ENTERPRISE_COUNTERS: dict[str, Callable[[int], list[Todo]]] = {}
CITY_COUNTERS: dict[str, Callable[[], list[Todo]]] = {}
TOWN_COUNTERS: dict[str, Callable[[int], list[Todo]]] = {}


def todo_provider(name: str):
    """Register `func(person) -> list[Todo]` under `name`."""

    def decorator(func):
        PROVIDERS[name] = func
        return func

    return decorator


def enterprise_counter(name: str):
    """Register `func(enterprise_id) -> list[Todo]`: what waits for the enterprise's HR."""

    def decorator(func):
        ENTERPRISE_COUNTERS[name] = func
        return func

    return decorator


def city_counter(name: str):
    """Register `func() -> list[Todo]`: what waits for the union administrators."""

    def decorator(func):
        CITY_COUNTERS[name] = func
        return func

    return decorator


def town_counter(name: str):
    """Register `func(town_id) -> list[Todo]`: what waits for the town's union officers."""

    def decorator(func):
        TOWN_COUNTERS[name] = func
        return func

    return decorator


def load_providers() -> None:
    for module in TODO_MODULES:
        importlib.import_module(module)


def _ordered(items) -> list[Todo]:
    return sorted((t for t in items if t.count > 0), key=lambda t: (not t.urgent, t.deadline or date.max))


def enterprise_todos(enterprise_id: int) -> list[Todo]:
    """What waits for HR of one enterprise (counts above zero), urgent ones first."""
    load_providers()
    return _ordered(t for counter in ENTERPRISE_COUNTERS.values() for t in counter(enterprise_id))


def city_todos() -> list[Todo]:
    """What waits for the union administrators (counts above zero), urgent ones first."""
    load_providers()
    return _ordered(t for counter in CITY_COUNTERS.values() for t in counter())


def town_todos(town_id: int) -> list[Todo]:
    """What waits for the union officers of one town (counts above zero), urgent ones first."""
    load_providers()
    return _ordered(t for counter in TOWN_COUNTERS.values() for t in counter(town_id))


def todos_for(person) -> list[Todo]:
    """Everything waiting for `person` (only kinds with a count above zero), urgent ones first."""
    load_providers()
    items = [todo for provider in PROVIDERS.values() for todo in provider(person)]
    if policy.is_hr(person) and person.enterprise_id:
        items += [todo for counter in ENTERPRISE_COUNTERS.values() for todo in counter(person.enterprise_id)]
    if policy.is_admin(person):
        items += [todo for counter in CITY_COUNTERS.values() for todo in counter()]
    scope = policy.management_scope(person)
    if scope.kind == policy.TOWN:
        items += [todo for counter in TOWN_COUNTERS.values() for todo in counter(scope.id)]
    return _ordered(items)
