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

from sqlalchemy import func, or_

from core import clock
from core.statements import shared_statement
from models import AccountCount, Enterprise, EnterpriseTownSpan, Role, Town, db
from models.competitions import CompetitionRegistration
from models.counts import ALL_ACCOUNTS, CITY, NO_LEVEL
from models.mentorship import MentorPair
from models.proposals import DRAFT, Proposal
from models.titles import Nomination
from services.common import figures_cache
from services.messages import todos


def admin_summary() -> dict:
    """Active enterprises, active accounts, and active accounts per role (`per_role`: Role -> count).
    Enterprises are counted data (models.data_version): their count is memoised per data version; the
    account counts are read on every view (a role change does not move the data version)."""
    enterprises = figures_cache.memoised(("city-enterprises",), lambda: db.session.scalar(
        db.select(func.count(Enterprise.id)).where(Enterprise.is_active)))
    counts = _counts(CITY)
    return {
        "enterprises": enterprises,
        "accounts": counts.get(ALL_ACCOUNTS, 0),
        "per_role": {role: counts.get(str(role), 0) for role in Role},
    }


def enterprise_summary(enterprise_id: int) -> dict:
    """Active workers of one enterprise and how many stand at each skill level (`per_level`: rank or
    None -> count)."""
    per_level = {None if key == NO_LEVEL else int(key.removeprefix("level:")): n
                 for key, n in _counts(enterprise_id).items() if n}
    return {"workers": sum(per_level.values()), "per_level": per_level}


def town_summary(town_id: int, year: int | None = None) -> dict:
    """A town's figures: the `town` (its row), its active enterprises (now), their active workers in
    total and per skill level (`per_level`: rank or None -> count, from the account counts), and of `year`
    (Asia/Shanghai; default this year) the records made in the town's enterprises while they belonged to
    the town: `proposals` (submitted, drafts aside), `registrations`, `pairs` and `nominations`.
    The enterprises and the year's records are counted data, memoised per data version; the account
    counts are summed on every call (a role change does not move the data version): one kept statement."""
    year = year or clock.today().year
    town = db.session.get(Town, town_id)  # kept in the summary: later reads of the town find it loaded
    dialect = db.session.get_bind().dialect.name
    rows = db.session.execute(shared_statement(("town-levels", dialect), lambda: _town_levels(dialect)),
                              {"town_id": town_id}).all()
    per_level = {None if key == NO_LEVEL else int(key.removeprefix("level:")): int(n) for key, n in rows if n}
    summary = {"town": town, "year": year, "workers": sum(per_level.values()), "per_level": per_level}
    summary.update(figures_cache.memoised(("town-records", town_id, year), lambda: _town_year(town_id, year)))
    return summary


def _town_levels(dialect: str):
    """The town's active workers per skill level: the account counts of the town's enterprises. On
    PostgreSQL read by the primary key per enterprise (`enterprise_id = ANY(ARRAY(...))`: a join or IN made
    it hash every enterprise's counts of the city)."""
    enterprises = db.select(Enterprise.id).where(Enterprise.town_id == todos.TOWN)
    if dialect == "postgresql":
        mine = AccountCount.enterprise_id == func.any(func.array(enterprises.scalar_subquery()))
    else:
        mine = AccountCount.enterprise_id.in_(enterprises)
    return (db.select(AccountCount.key, func.sum(AccountCount.n))
            .where(mine, AccountCount.key.like("level:%")).group_by(AccountCount.key))


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


def _counts(enterprise_id: int) -> dict[str, int]:
    return dict(db.session.execute(db.select(AccountCount.key, AccountCount.n)
                                   .where(AccountCount.enterprise_id == enterprise_id)).all())
