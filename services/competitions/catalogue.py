"""The competition list (技能竞赛) as each reader sees it: which competitions, in which order, with which
filters; its pages and the competitions open for registration, read by kept statements.

Rules (docs/domain.md, Skills competitions): newest first (day held, then id); filtered by year held, level,
trade, status, or open for registration now; drafts only for admins and their owner (an enterprise's HR, a
town's officers); the rest as competitions_policy.visible_condition. Filters use indexed columns.

Why kept: the list is on every reader's way into competitions; its statement (the reader's visibility, the
filters) cost ~1,400 Python calls to build, twice per worker's page (the list and the open competitions).
A kept statement (core.statements.shared_statement) is made once per shape (the reader's kind of scope,
whether they belong to an enterprise, the filters in use) with every value a bind parameter.
"""

from __future__ import annotations

from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, bindparam, false, func, or_, select

from core import clock
from core.statements import shared_statement
from models import Trade, db
from models.competitions import DRAFT, OPEN, STATUSES, Competition
from models.vocabulary import COMPETITION_LEVELS, TRADE_LABELS, reference_label
from services import policy
from services.common.rows import PlainRow
from services.competitions import policy as competitions_policy

# the bind parameters of the kept statements: who reads, and the filters' values
_PARAMS = {name: bindparam(f"catalogue_{name}") for name in (
    "reader", "scope", "enterprise", "from", "until", "level", "trade", "status", "now", "limit", "offset")}


class ListedCompetition(PlainRow):
    """One competition of a list page as plain values (competitions_query with `rows`)."""

    __slots__ = ("id", "name", "level", "trade_name", "held_on", "seats_taken", "capacity", "status")

    level_label, status_label = Competition.level_label, Competition.status_label

    @property
    def trade_label(self):
        return reference_label(TRADE_LABELS, self.trade_name)  # as Trade.label


def _listed_columns():
    c = Competition
    return c.id, c.name, c.level, Trade.name, c.held_on, c.seats_taken, c.capacity, c.status


def filter_values(*, year=None, level_code=None, trade_id=None, status=None, open_only=False) -> dict:
    """The values of the filters in use (name -> value; unknown level or status codes are no filter)."""
    values = {}
    if year:
        values["from"], values["until"] = date(year, 1, 1), date(year + 1, 1, 1)
    if level_code in COMPETITION_LEVELS:
        values["level"] = level_code
    if trade_id:
        values["trade"] = trade_id
    if status in STATUSES:
        values["status"] = status
    if open_only:
        values["now"] = clock.now()
    return values


def reader_values(actor) -> tuple[str, bool, dict]:
    """(kind of scope, belongs to an enterprise, the reader's values) of `actor` for the list's conditions."""
    scope = policy.management_scope(actor)
    return scope.kind, actor.enterprise_id is not None, {"reader": actor.id, "scope": scope.id,
                                                          "enterprise": actor.enterprise_id}


def restrict(stmt, kind: str, in_enterprise: bool, filters, p: dict):
    """`stmt` (on Competition) restricted to what a reader of scope `kind` (in an enterprise or not) sees and
    to the `filters` in use (names); `p` maps each name to its value or bind parameter."""
    if kind != policy.CITY:
        own = {policy.ENTERPRISE: and_(Competition.owner_level == "enterprise",
                                       Competition.owner_enterprise_id == p["scope"]),
               policy.TOWN: and_(Competition.owner_level == "town", Competition.owner_town_id == p["scope"]),
               }.get(kind, false())  # an owner sees its own drafts
        stmt = stmt.where(or_(Competition.status != DRAFT, own), competitions_policy.visible_condition_of(
            kind, p["reader"], p["scope"], p["enterprise"] if in_enterprise else None))
    if "from" in filters:
        stmt = stmt.where(Competition.held_on >= p["from"], Competition.held_on < p["until"])
    if "level" in filters:
        stmt = stmt.where(Competition.level == p["level"])
    if "trade" in filters:
        stmt = stmt.where(Competition.trade_id == p["trade"])
    if "status" in filters:
        stmt = stmt.where(Competition.status == p["status"])
    if "now" in filters:
        stmt = stmt.where(Competition.status == OPEN, Competition.registration_opens_at <= p["now"],
                          Competition.registration_closes_at > p["now"])
    return stmt.order_by(Competition.held_on.desc(), Competition.id.desc())


def competitions_query(actor, *, year=None, level_code=None, trade_id=None, status=None, open_only=False,
                       rows=False):
    """Select of the competitions `actor` sees (the module's rules), newest first, with the filters given.
    Each competition's trade is read in the same query (the lists show it); its other relations load when
    asked for. With `rows`: the columns of ListedCompetition instead of entities."""
    kind, in_enterprise, values = reader_values(actor)
    values.update(filter_values(year=year, level_code=level_code, trade_id=trade_id, status=status,
                                open_only=open_only))
    stmt = (select(*_listed_columns()).outerjoin(Trade, Trade.id == Competition.trade_id) if rows
            else select(Competition).options(db.joinedload(Competition.trade)))
    return restrict(stmt, kind, in_enterprise, values, values)


def kept(purpose: str, actor, filters: dict, build):
    """(a kept statement, its values): `build(restricted)` makes the statement of `purpose` from a select of
    ListedCompetition's columns restricted for the actor's shape (kind of scope, in an enterprise, the
    filters in use: `filters`, from filter_values) with bind parameters."""
    kind, in_enterprise, values = reader_values(actor)
    names = tuple(sorted(filters))
    stmt = shared_statement(("catalogue", purpose, kind, in_enterprise, names), lambda: build(restrict(
        select(*_listed_columns()).outerjoin(Trade, Trade.id == Competition.trade_id), kind, in_enterprise,
        names, _PARAMS)))
    values.update(filters)
    return stmt, {_PARAMS[name].key: value for name, value in values.items()}


def param(name: str):
    """The bind parameter `name` of the kept statements (e.g. "enterprise", "reader", "limit")."""
    return _PARAMS[name]


class CompetitionsPage(Pagination):
    """A page of the competition list: ListedCompetitions, its total counted in the same statement
    (COUNT(*) OVER (): the list is short, a few hundred competitions a year), apart only for a page past
    the end."""

    def _query_items(self):
        stmt, values = self._query_args["kept"]
        values = {**values, _PARAMS["limit"].key: self.per_page, _PARAMS["offset"].key: self._query_offset}
        rows = db.session.execute(stmt, values).all()
        self._total = rows[0][-1] if rows else None
        return [ListedCompetition(*row[:-1]) for row in rows]

    def _query_count(self):
        if self._total is not None:
            return self._total
        listed = competitions_query(self._query_args["actor"], rows=True, **self._query_args["filters"])
        return db.session.scalar(select(func.count()).select_from(listed.order_by(None).subquery()))


def competitions_page(actor, page: int, per_page: int, **filters) -> CompetitionsPage:
    """Page `page` (from 1; past the end: empty) of the competitions `actor` sees with `filters` (year,
    level_code, trade_id, status: as competitions_query), `per_page` a page: one kept statement."""
    stmt = kept("page", actor, filter_values(**filters), lambda restricted: restricted.add_columns(
        func.count().over()).limit(_PARAMS["limit"]).offset(_PARAMS["offset"]))
    return CompetitionsPage(page=page, per_page=per_page, max_per_page=None, error_out=False, kept=stmt,
                            actor=actor, filters=filters)


def competition_years() -> list[int]:
    """Years that have competitions, newest first (for the list filter): one kept statement."""
    years = db.session.scalars(shared_statement(("catalogue.years",), lambda: select(
        func.distinct(func.extract("year", Competition.held_on)))))
    return sorted((int(y) for y in years if y is not None), reverse=True)
