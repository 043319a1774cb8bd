"""The campaign admin page's pool of judges, a page at a time, with each judge's stored load.

Rules (services.proposals.assignment, "The pool of judges of a campaign"): for the city's campaigns every
active account with the judge role plus the people appointed to the campaign's panel; for an enterprise's
or a town's only its panel. Loads (assigned, submitted) are the stored tallies of models.proposal_tallies,
kept in the same transaction as the assignments. The statements are kept (built once per process,
core.statements.shared_statement) with the campaign, the limit and the offset as bind parameters.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, select, union_all

from core.statements import shared_statement
from models import Enterprise, User, db
from models.proposal_tallies import JudgeLoad
from models.proposals import OWNER_CITY, Campaign, CampaignJudge

CAMPAIGN = bindparam("campaign_id")


def _pool(city: bool):
    """Subquery of the active judges of a campaign's pool (id, name, enterprise_id), the campaign as the bind
    parameter CAMPAIGN; `city`: a city campaign's, the city's pool (models.judge_pool: read whole from its
    partial index, a few hundred entries) with the members of the campaign's panel outside it; otherwise the
    panel alone. Each account comes once (a panel holds an account once), so the city's is a UNION ALL,
    which the database neither sorts nor hashes to drop repeats."""
    panel = (select(User.id, User.name, User.enterprise_id).join(CampaignJudge, CampaignJudge.user_id == User.id)
             .where(CampaignJudge.campaign_id == CAMPAIGN, User.is_active))
    if city:
        return union_all(select(User.id, User.name, User.enterprise_id).where(User.in_judge_pool),
                         panel.where(~User.in_judge_pool)).subquery("pool")
    return panel.subquery("pool")


def _page_stmt(city: bool):
    """The statement of JudgesPage: CAMPAIGN, "limit" and "offset" as bind parameters."""
    pool = _pool(city)
    judges = (select(pool.c.id, pool.c.name, pool.c.enterprise_id, func.count().over().label("total"))
              .order_by(pool.c.name, pool.c.id).limit(bindparam("limit")).offset(bindparam("offset")).subquery())

    def load(column):
        return func.coalesce(select(column).where(JudgeLoad.campaign_id == CAMPAIGN,
                                                  JudgeLoad.judge_id == judges.c.id).scalar_subquery(), 0)

    return select(
        judges.c.id, judges.c.name,
        select(Enterprise.name).where(Enterprise.id == judges.c.enterprise_id).scalar_subquery()
        .label("enterprise_name"), load(JudgeLoad.assigned).label("assigned"),
        load(JudgeLoad.submitted).label("submitted"), judges.c.total).order_by(judges.c.name, judges.c.id)


class JudgesPage(Pagination):
    """A page of the campaign's pool by name as plain rows (id, name, enterprise_name: None for a judge of
    no enterprise, assigned and submitted: the judge's stored load in the campaign, 0 without one), in one
    query: the pool is counted in it (COUNT(*) OVER () before the limit); the enterprise's name and the
    load are read after the limit, for the page's rows only (primary-key lookups), not for every judge. A
    page past the end counts the pool on its own."""

    def _query_items(self):
        campaign = self._query_args["campaign"]
        city = campaign.owner_level == OWNER_CITY
        rows = db.session.execute(
            shared_statement(("proposals.judges_page", city), partial(_page_stmt, city)),
            {CAMPAIGN.key: campaign.id, "limit": self.per_page, "offset": self._query_offset}).all()
        self._total = rows[0].total if rows else None
        return rows

    def _query_count(self):
        if self._total is None:
            campaign = self._query_args["campaign"]
            city = campaign.owner_level == OWNER_CITY
            self._total = db.session.scalar(
                shared_statement(("proposals.judges_count", city),
                                 lambda: select(func.count()).select_from(_pool(city))),
                {CAMPAIGN.key: campaign.id})
        return self._total


class PanelJudge(NamedTuple):
    """A judge of the pool of an enterprise's or a town's campaign, as JudgesPage's rows are."""

    id: int
    name: str
    enterprise_name: str | None
    assigned: int
    submitted: int


class PanelPage(Pagination):
    """A page of the pool of an enterprise's or a town's campaign, which is its panel: from the panel's rows
    (services.proposals.assignment.panel_of, read for the page anyway), its active members by (name, id) as
    the database orders them (their name_order), no statement of its own."""

    def _query_items(self):
        start = self._query_offset
        return self._query_args["pool"][start:start + self.per_page]

    def _query_count(self):
        return len(self._query_args["pool"])


def judges_page(campaign: Campaign, page: int, per_page: int, panel: list | None = None) -> Pagination:
    """Page `page` (from 1; past the end: empty) of the campaign's pool of judges, with their loads: JudgesPage,
    or, for an enterprise's or a town's campaign when its `panel` (assignment.panel_of's rows) is given,
    PanelPage from those rows (the same rows, order and count, without a statement)."""
    if panel is not None and campaign.owner_level != OWNER_CITY:
        pool = [PanelJudge(row.user_id, row.name, row.enterprise_name, row.assigned, row.submitted)
                for row in sorted((row for row in panel if row.active), key=lambda row: row.name_order)]
        return PanelPage(page=page, per_page=per_page, max_per_page=None, error_out=False, pool=pool)
    return JudgesPage(page=page, per_page=per_page, max_per_page=None, error_out=False, campaign=campaign)
