"""The expected answer of every route for every persona, one module per area.

Each module defines RULES, a list of `Rule`. tests/views/test_route_walk.py requests every rule as
every persona and checks the status code, and fails when a registered route has no rule, so a
route added without an access rule fails the suite.

Personas (tests.factories.World): anonymous, worker_a (enterprise A), judge (enterprise B),
hr_a (HR of A), hr_b (HR of B), admin, town_a (town union officer of A's town) and town_b (of B's
town, another one). Objects of enterprise B are the usual targets, so hr_a must get 404 and hr_b
200; town_a 404 and town_b 200 where a town officer may look (read-only), 403 where they may not.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "worker_a", "judge", "hr_a", "hr_b", "admin", "town_a", "town_b")
LOGGED_IN = PERSONAS[1:]


@dataclass(frozen=True)
class Rule:
    endpoint: str
    expect: dict[str, int]
    method: str = "GET"
    url_args: Callable = field(default=lambda world: {})
    data: Callable = field(default=lambda world: {})
    note: str = ""

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.endpoint}: no expectation for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{' ' + self.note if self.note else ''}"


def everyone(endpoint: str, status: int = 200, **kw) -> Rule:
    return Rule(endpoint, dict.fromkeys(PERSONAS, status), **kw)


def logged_in(endpoint: str, status: int = 200, **kw) -> Rule:
    """Any logged-in persona gets `status`; anonymous is sent to the login page."""
    return Rule(endpoint, {"anonymous": 302, **dict.fromkeys(LOGGED_IN, status)}, **kw)


def only(endpoint: str, allowed: dict[str, int], others: int = 403, **kw) -> Rule:
    """The personas in `allowed` get their status, other logged-in personas `others`."""
    expect = {"anonymous": 302, **dict.fromkeys(LOGGED_IN, others), **allowed}
    return Rule(endpoint, expect, **kw)


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        rules.extend(module.RULES)
    return rules
