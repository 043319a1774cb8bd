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
A provider answers with a list of `Todo`s and `Tally`s, never per-row work, so the counts are right the
moment the underlying state changes (no count is cached). A `Tally` is counts the provider does not run
itself: a one-row aggregate query, the values of its bind parameters for this call, and how its values
become to-dos. A list's tallies (a home page's, a digest's) are all counted by ONE statement,
`SELECT t0.*, t1.*, ... FROM (q0) AS t0 JOIN (q1) AS t1 ON true ...` (a home page used to send one
statement per count, issue 10). A `Listing` is a provider's to-dos per row of (id, name, count) (a
campaign's savings to verify, a competition's entries to check): a list's listings are read by ONE statement
too (a UNION ALL, each listing's rows by id). Other lists of rows (a notice's objections) stay queries of
their own, one per provider (kept statements where they can: `core.statements.shared_statement`).

Speed (issue 10): building SQLAlchemy statements cost a home page more CPU than running them. So a
tally's query is built once per process (`Tally.build`, under `Tally.key`), with a bind parameter for
every value that changes between calls (the person, the enterprise, the time: `Tally.params`), and the
combined statement once per combination of keys. Rules for `build`: it reads no per-call value (the
clock raises while it runs: core.clock.not_read) and no setting from the database; what changes the
query's shape (a person without an enterprise) goes into `key`. NOW and TODAY are read once per list
by `resolve`; parameters the tallies of one list share must agree (ValueError otherwise).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, Select, bindparam, literal_column, select, true, union_all

from core import clock
from models import db
from services import policy

# Modules that register to-do providers (imported on first use); unread messages (inbox) come last.
TODO_MODULES: tuple[str, ...] = (
    "services.common.workdays", "services.common.notice_todos", "services.proposals.todos",
    "services.competitions.todos", "services.mentorship.todos", "services.titles.todos",
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


@dataclass(frozen=True)
class Tally:
    """A provider's counts, run with the list's other tallies in one statement.

    `key`: names the query (the provider's name, then whatever changes its shape, never a value);
    `build()`: the query, yielding exactly one row (an aggregate without GROUP BY, or a SELECT of scalar
    subqueries), with `bindparam`s for the per-call values (see the module's rules); `params`: their
    values for this call; `make(*row)`: the to-dos from the row's values, in the query's column order (for
    a page's figure counted alongside, `resolve_with`'s `figures`: whatever the page shows of them)."""

    key: tuple
    build: Callable[[], Select]
    params: dict
    make: Callable[..., object]


# Bind parameters the providers share; `person_params` gives their values for one person.
PERSON = bindparam("person_id")
PERSON_ENTERPRISE = bindparam("person_enterprise_id")
ENTERPRISE = bindparam("enterprise_id")
TOWN = bindparam("town_id")
NOW = bindparam("now")
TODAY = bindparam("today")


@dataclass(frozen=True)
class StandIn:
    """The person in a prebuilt query, for the policies' SQL helpers that read `.id` and `.enterprise_id`:
    bind parameters (`enterprise_id` None for someone without an enterprise: put that in the key)."""

    id: object
    enterprise_id: object

    @classmethod
    def of(cls, has_enterprise: bool) -> StandIn:
        return cls(PERSON, PERSON_ENTERPRISE if has_enterprise else None)


def person_params(person, **more) -> dict:
    """The values of PERSON and PERSON_ENTERPRISE for `person`, and `more` (NOW and TODAY are given by
    `resolve`, read once per list)."""
    return {"person_id": person.id, "person_enterprise_id": person.enterprise_id, **more}


@dataclass(frozen=True)
class Listing:
    """A provider's to-dos, one per row of (id, name, count), read with the list's other listings in one
    statement (a UNION ALL).

    `key`, `params`: as a Tally's; `build()`: the rows' query, unordered, of exactly three columns (the
    id, the name, the count; the same types in every listing); `make(rows)`: the to-dos from its rows,
    each (id, name, count), in the order of their id."""

    key: tuple
    build: Callable[[], Select]
    params: dict
    make: Callable[[list], list[Todo]]


Part = Todo | Tally | Listing
PROVIDERS: dict[str, Callable] = {}
ENTERPRISE_COUNTERS: dict[str, Callable[[int], list[Part]]] = {}
CITY_COUNTERS: dict[str, Callable[[], list[Part]]] = {}
TOWN_COUNTERS: dict[str, Callable[[int], list[Part]]] = {}


def todo_provider(name: str):
    """Register `func(person) -> list[Todo | Tally]` under `name`."""

    def decorator(func):
        PROVIDERS[name] = func
        return func

    return decorator


def enterprise_counter(name: str):
    """Register `func(enterprise_id) -> list[Todo | Tally]`: what waits for the enterprise's HR."""

    def decorator(func):
        ENTERPRISE_COUNTERS[name] = func
        return func

    return decorator


def city_counter(name: str):
    """Register `func() -> list[Todo | Tally]`: what waits for the union administrators."""

    def decorator(func):
        CITY_COUNTERS[name] = func
        return func

    return decorator


def town_counter(name: str):
    """Register `func(town_id) -> list[Todo | Tally]`: what waits for the town's union officers."""

    def decorator(func):
        TOWN_COUNTERS[name] = func
        return func

    return decorator


def load_providers() -> None:
    for module in TODO_MODULES:
        importlib.import_module(module)


# Combined statements per tuple of tally keys: (statement, columns per tally). Bounded by design: keys
# name providers and shape flags, never values.
_COMBINED: dict[tuple, tuple[Select, tuple[int, ...]]] = {}
_combined_lock = threading.Lock()


def _combined(tallies: list[Tally]) -> tuple[Select, tuple[int, ...]]:
    """The one statement counting `tallies` (built on first use, then reused), and each one's width."""
    keys = tuple(tally.key for tally in tallies)
    found = _COMBINED.get(keys)
    if found is None:
        with clock.not_read():
            tables = [tally.build().subquery(f"t{n}") for n, tally in enumerate(tallies)]
        stmt = select(*(column for table in tables for column in table.c)).select_from(tables[0])
        for table in tables[1:]:
            stmt = stmt.join(table, true())
        found = (stmt, tuple(len(table.c) for table in tables))
        with _combined_lock:
            _COMBINED[keys] = found
    return found


_LISTED: dict[tuple, Select] = {}


def _listed(listings: list[Listing]) -> Select:
    """The one statement reading `listings`' rows (built on first use, then reused): each listing's rows
    with its place among them (`part`), by place then id."""
    keys = tuple(listing.key for listing in listings)
    found = _LISTED.get(keys)
    if found is None:
        with clock.not_read():
            selects = [listing.build().add_columns(literal_column(str(n), Integer).label("part"))
                       for n, listing in enumerate(listings)]
        both = union_all(*selects) if len(selects) > 1 else selects[0].subquery().select()
        found = both.order_by(both.selected_columns.part, both.selected_columns[0])
        with _combined_lock:
            _LISTED[keys] = found
    return found


def _agreed(parts, params: dict) -> dict:
    """`params` with every part's parameters (ValueError when two parts give one a different value)."""
    for part in parts:
        for name, value in part.params.items():
            if params.setdefault(name, value) != value:
                raise ValueError(f"to-do tallies disagree on the parameter {name!r}")
    return params


def resolve(parts: list[Part]) -> list[Todo]:
    """The to-dos of `parts` (counts above zero), urgent ones first, then by deadline: every `Tally`
    among them counted by one statement (none when there is no tally). Raises ValueError when two
    tallies give one bind parameter different values."""
    return resolve_with(parts)[0]


def resolve_with(parts: list[Part], figures: Sequence[Tally] = ()) -> tuple[list[Todo], list]:
    """`resolve(parts)`, and what each of `figures` makes of its values (a page's one-row figures, in
    order), counted in the same one statement as the to-dos' tallies."""
    tallies = [part for part in parts if isinstance(part, Tally)]
    listings = [part for part in parts if isinstance(part, Listing)]
    made: list = []
    now = clock.now() if tallies or figures or listings else None
    times = {"now": now, "today": now and now.astimezone(clock.SHANGHAI).date()}
    listed: list[list] = [[] for _listing in listings]
    if listings:
        rows = db.session.flush() or db.session.connection().execute(  # Core: no ORM result processing
            _listed(listings), _agreed(listings, dict(times)))
        for row in rows:
            listed[row.part].append(tuple(row[:3]))
    listed_todos = iter([listing.make(rows) for listing, rows in zip(listings, listed, strict=True)])
    todos = [todo for part in parts if not isinstance(part, Tally)  # the to-dos in the parts' order
             for todo in ((part,) if isinstance(part, Todo) else next(listed_todos))]
    if tallies or figures:
        everything = [*tallies, *figures]
        params = _agreed(everything, dict(times))
        stmt, widths = _combined(everything)
        row = (db.session.flush() or db.session.connection().execute(stmt, params)).one()
        start = 0
        for n, (tally, width) in enumerate(zip(everything, widths, strict=True)):
            values = tally.make(*row[start:start + width])
            if n < len(tallies):
                todos += values
            else:
                made.append(values)
            start += width
    return sorted((t for t in todos if t.count > 0), key=lambda t: (not t.urgent, t.deadline or date.max)), made


def enterprise_todos(enterprise_id: int) -> list[Todo]:
    """What waits for HR of one enterprise (counts above zero), urgent ones first."""
    load_providers()
    return resolve([part for counter in ENTERPRISE_COUNTERS.values() for part in counter(enterprise_id)])


def city_todos() -> list[Todo]:
    """What waits for the union administrators (counts above zero), urgent ones first."""
    load_providers()
    return resolve([part for counter in CITY_COUNTERS.values() for part in counter()])


def town_todos(town_id: int) -> list[Todo]:
    """What waits for the union officers of one town (counts above zero), urgent ones first."""
    load_providers()
    return resolve([part for counter in TOWN_COUNTERS.values() for part in counter(town_id)])


def todos_for(person) -> list[Todo]:
    """Everything waiting for `person` (only kinds with a count above zero), urgent ones first: their own
    providers' to-dos, and their enterprise's, the city's or their town's as their office has them; all
    the tallies counted by one statement."""
    return todos_with(person)[0]


def todos_with(person, figures: Sequence[Tally] = ()) -> tuple[list[Todo], list]:
    """`todos_for(person)`, and what each of `figures` makes of its values, counted in the same statement
    (a home page's own figures: no statement of their own)."""
    load_providers()
    parts = [part for provider in PROVIDERS.values() for part in provider(person)]
    if policy.is_hr(person) and person.enterprise_id:
        parts += [part for counter in ENTERPRISE_COUNTERS.values() for part in counter(person.enterprise_id)]
    if policy.is_admin(person):
        parts += [part for counter in CITY_COUNTERS.values() for part in counter()]
    scope = policy.management_scope(person)
    if scope.kind == policy.TOWN:
        parts += [part for counter in TOWN_COUNTERS.values() for part in counter(scope.id)]
    return resolve_with(parts, figures)
