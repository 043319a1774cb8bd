"""Figures for the role home pages: the admin's city totals, a town's, and HR's enterprise.

Neither counts accounts per view (docs/domain.md, "Scale the platform is built for"): active accounts
in total and per role, and an enterprise's active workers per skill level, are models.counts rows kept
in the same transaction as every account or role change; enterprises are counted on their own small
table (2,500 rows). A town's figures are the same rows, summed over the town's enterprises; its
records of a year (proposals, registrations, pairs, nominations) count for the town their enterprise
belonged to when they were made (models.EnterpriseTownSpan): one query per figure, joining each
record to the span that holds its `created_at` (indexed: ix_enterprise_town_span_town).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, case, func, or_

from core import clock
from models import AccountCount, Enterprise, EnterpriseTownSpan, Role, Town, Trade, db
from models.competitions import CompetitionRegistration
from models.counts import ALL_ACCOUNTS, CITY, NO_LEVEL, level_key
from models.mentorship import MentorPair
from models.proposals import DRAFT, Proposal
from models.skills import SKILL_LEVELS
from models.titles import Nomination
from models.vocabulary import TOWN_LABELS, TRADE_LABELS, reference_label
from services.common import figures_cache
from services.messages import todos


def home(person) -> dict:
    """What `person`'s home page shows besides the key figures: `todos` (services.messages.todos), and as
    their office has them `admin` (admin_summary), `enterprise` (HR's enterprise_summary), `town`
    (town_summary) and `town_name` (the town's label). The account counts, the town's name and the data
    version are columns of the to-dos' one statement (no statement of their own); the memoised figures
    are read under that version afterwards. A worker's trade (`trade_label`, in the reader's language;
    None without a trade) is a column of that statement too (no lazy load of `person.trade`)."""
    parts: dict[str, todos.Tally] = {"version": _version_tally()}
    if person.has_role(Role.ADMIN):
        parts["admin"] = _city_counts_tally()
    if person.has_role(Role.HR) and person.enterprise_id:
        parts["enterprise"] = _enterprise_levels_tally(person.enterprise_id)
    if person.town_id:
        parts["town"] = _town_tally(person.town_id)
    if person.trade_id and person.has_role(Role.WORKER):
        parts["trade"] = _trade_tally(person.trade_id)
    todo_list, values = todos.todos_with(person, list(parts.values()))
    made = dict(zip(parts, values, strict=True))
    figures_cache.use_version(made["version"])
    town = _town(made["town"]) if "town" in made else None
    return {"todos": todo_list, "admin": _admin(made["admin"]) if "admin" in made else None,
            "enterprise": made.get("enterprise"), "town": town, "town_name": town and town["name"],
            "trade_label": made.get("trade")}


def admin_summary() -> dict:
    """Active enterprises, active accounts, and active accounts per role (`per_role`: Role -> count).
    Enterprises are counted data (models.data_version): their count is memoised per data version; the
    account counts are read on every view (a role change does not move the data version)."""
    return _admin(_alone(_city_counts_tally()))


def enterprise_summary(enterprise_id: int) -> dict:
    """Active workers of one enterprise and how many stand at each skill level (`per_level`: rank or
    None -> count)."""
    return _alone(_enterprise_levels_tally(enterprise_id))


def town_summary(town_id: int, year: int | None = None) -> dict:
    """A town's figures: its `name` (in the reader's language), its active enterprises (now), their active
    workers in total and per skill level (`per_level`: rank or None -> count, from the account counts),
    and of `year` (Asia/Shanghai; default this year) the records made in the town's enterprises while
    they belonged to the town: `proposals` (submitted, drafts aside), `registrations`, `pairs` and
    `nominations`. The enterprises and the year's records are counted data, memoised per data version;
    the account counts are summed on every call (a role change does not move the data version)."""
    return _town(_alone(_town_tally(town_id)), year)


def _alone(tally: todos.Tally):
    """What `tally` makes of its values, counted on its own (one statement)."""
    return todos.resolve_with([], [tally])[1][0]


def _version_tally() -> todos.Tally:
    return todos.Tally(("home-version",), figures_cache.version_query, {}, int)


_TRADE = bindparam("home_trade_id")


def _trade_tally(trade_id: int) -> todos.Tally:
    """The label of the person's trade (models.Trade.label), by its id (a scalar subquery: one row
    whatever it finds)."""
    return todos.Tally(("home-trade",),
                       lambda: db.select(db.select(Trade.name).where(Trade.id == _TRADE).scalar_subquery()),
                       {"home_trade_id": trade_id}, lambda name: reference_label(TRADE_LABELS, name))


_CITY_KEYS = (ALL_ACCOUNTS, *(str(role) for role in Role))
_LEVEL_KEYS = (NO_LEVEL, *(level_key(step.rank) for step in SKILL_LEVELS))


def _sums(keys: tuple[str, ...]) -> list:
    """Per key of `keys`, the sum of its account counts among the selected rows (0 when none)."""
    return [func.coalesce(func.sum(case((AccountCount.key == key, AccountCount.n), else_=0)), 0) for key in keys]


def _city_counts_tally() -> todos.Tally:
    return todos.Tally(("home-city-counts",),
                       lambda: db.select(*_sums(_CITY_KEYS)).where(AccountCount.enterprise_id == CITY),
                       {}, lambda *values: dict(zip(_CITY_KEYS, values, strict=True)))


def _admin(counts: dict[str, int]) -> dict:
    enterprises = figures_cache.memoised(("city-enterprises",), lambda: db.session.scalar(
        db.select(func.count(Enterprise.id)).where(Enterprise.is_active)))
    return {
        "enterprises": enterprises,
        "accounts": counts.get(ALL_ACCOUNTS, 0),
        "per_role": {role: counts.get(str(role), 0) for role in Role},
    }


def _levels(workers: int, *per_key: int) -> dict:
    """{"workers", "per_level"} from the total of the level counts and the counts of _LEVEL_KEYS."""
    per_level = {None if key == NO_LEVEL else int(key.removeprefix("level:")): int(n)
                 for key, n in zip(_LEVEL_KEYS, per_key, strict=True) if n}
    return {"workers": int(workers), "per_level": per_level}


def _level_columns() -> list:
    return [func.coalesce(func.sum(AccountCount.n), 0), *_sums(_LEVEL_KEYS)]


_ENTERPRISE = bindparam("levels_enterprise_id")
_TOWN = bindparam("levels_town_id")


def _enterprise_levels_tally(enterprise_id: int) -> todos.Tally:
    return todos.Tally(("home-enterprise-levels",),
                       lambda: db.select(*_level_columns()).where(AccountCount.enterprise_id == _ENTERPRISE,
                                                                  AccountCount.key.like("level:%")),
                       {"levels_enterprise_id": enterprise_id}, _levels)


def _town_tally(town_id: int) -> todos.Tally:
    """The town's name and its active workers in total and per skill level (the account counts
    of the town's enterprises)."""
    return todos.Tally(("home-town-levels", db.session.get_bind().dialect.name),
                       lambda: _town_levels(db.session.get_bind().dialect.name), {"levels_town_id": town_id},
                       lambda name, *levels: {"id": town_id, "name": reference_label(TOWN_LABELS, name),
                                              **_levels(*levels)})


def _town(found: dict, year: int | None = None) -> dict:
    year = year or clock.today().year
    summary = {**found, "year": year}
    summary.update(figures_cache.memoised(("town-records", found["id"], year),
                                          lambda: _town_year(found["id"], year)))
    return summary


def _town_levels(dialect: str):
    """The town's name and its active workers per skill level: the account counts of the town's
    enterprises. On PostgreSQL read by the primary key per enterprise (`enterprise_id =
    ANY(ARRAY(...))`: a join or IN made it hash every enterprise's counts of the city)."""
    enterprises = db.select(Enterprise.id).where(Enterprise.town_id == _TOWN)
    if dialect == "postgresql":
        mine = AccountCount.enterprise_id == func.any(func.array(enterprises.scalar_subquery()))
    else:
        mine = AccountCount.enterprise_id.in_(enterprises)
    name = db.select(Town.name).where(Town.id == _TOWN).scalar_subquery()
    return (db.select(name, *_level_columns())
            .where(mine, AccountCount.key.like("level:%")))


def _town_year(town_id: int, year: int) -> dict[str, int]:
    """The town's active enterprises now and the year's records of the town (four counts over the town
    history; memoised per data version by the caller, so a home page counts them only after something
    counted changed)."""
    start = datetime(year, 1, 1, tzinfo=clock.SHANGHAI)
    end = datetime(year + 1, 1, 1, tzinfo=clock.SHANGHAI)
    return {
        "enterprises": db.session.scalar(db.select(func.count(Enterprise.id)).where(
            Enterprise.town_id == town_id, Enterprise.is_active)),
        "proposals": _town_records(Proposal, town_id, start, end, Proposal.status != DRAFT),
        "registrations": _town_records(CompetitionRegistration, town_id, start, end),
        "pairs": _town_records(MentorPair, town_id, start, end),
        "nominations": _town_records(Nomination, town_id, start, end),
    }


def _town_records(model, town_id: int, start: datetime, end: datetime, *conditions) -> int:
    """How many rows of `model` made in [start, end) belong to town `town_id` by the town history: one
    query joining each row to the span of its enterprise that holds its `created_at`."""
    span = EnterpriseTownSpan
    stmt = (db.select(func.count()).select_from(model)
            .join(span, (span.enterprise_id == model.enterprise_id) & (span.valid_from <= model.created_at)
                  & or_(span.valid_to.is_(None), span.valid_to > model.created_at))
            .where(span.town_id == town_id, model.created_at >= start, model.created_at < end, *conditions))
    return db.session.scalar(stmt) or 0
