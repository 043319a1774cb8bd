"""Excel export of a campaign's proposals and results (.xlsx), for union admins, as a background job; and
the export of the proposal list as filtered (e.g. the yearly report's drill-down), for officers.

Rules (docs/domain.md, "Rules shared by every part": time and money; README, "Scale"):
- Only union admins export; the job re-checks this when it runs (services.jobs.queue).
- A campaign has up to 50,000 proposals, so the export is the job kind "proposals.export"
  (services.jobs): the request only records the job, the job writes the workbook with
  services.common.spreadsheets (user text never a formula, 提交时间 in Asia/Shanghai, headers with
  their units 元 and 分) and reports its progress after each batch of BATCH rows.
- The rows come from one query read in batches (yield_per), so the job's queries do not grow with the
  number of proposals and no more than a batch of rows sits in memory before it is written.
- The list's export ("proposals.list_export") holds the rows of the proposal list with the same filters
  (services.proposals.listing.proposals_query), every page of it, for anyone with an office (admins,
  town officers, HR: the list is already limited to what they may see); the job re-reads the list as
  the requester when it runs.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.l10n import lazy_gettext as _l
from models import Enterprise, Town, User, db
from models.jobs import Job
from models.proposal_tallies import ProposalStatusTally
from models.proposals import KIND_LABELS, PROPOSAL_STATUS_LABELS, Campaign, Proposal, ProposalAuthor, RealisedSaving
from models.vocabulary import PRIZE_LABELS
from services import policy
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATETIME, INTEGER, MONEY, SCORE, TEXT, Column
from services.errors import NotAllowed
from services.jobs import queue
from services.proposals import listing
from services.proposals import policy as proposals_policy
from services.proposals.campaigns import get_campaign

BATCH = 1000
KIND = "proposals.export"

COLUMNS = (
    Column(_l("编号"), INTEGER, 8), Column(_l("类别"), TEXT, 10), Column(_l("标题"), TEXT, 40),
    Column(_l("状态"), TEXT, 10), Column(_l("企业"), TEXT, 30), Column(_l("镇/街道"), TEXT, 12),
    Column(_l("提案人"), TEXT, 10), Column(_l("作者人数"), INTEGER, 10), Column(_l("提交时间"), DATETIME, 18),
    Column(_l("预计年节约额（元）"), MONEY, 18), Column(_l("评委人数"), INTEGER, 10),
    Column(_l("综合得分（分）"), SCORE, 14), Column(_l("名次"), INTEGER, 8), Column(_l("奖项"), TEXT, 10),
    Column(_l("实际年节约额（元）"), MONEY, 18), Column(_l("已核实"), TEXT, 8),
)


def _rows_stmt(campaign: Campaign | None, among=None):
    """One row per proposal of the campaign (or of the ids select `among`) with its enterprise, town,
    proposer, author count and saving."""
    authors = (select(func.count(ProposalAuthor.id)).where(ProposalAuthor.proposal_id == Proposal.id)
               .correlate(Proposal).scalar_subquery())
    return (
        select(Proposal.id, Proposal.kind, Proposal.title, Proposal.status, Proposal.submitted_at,
               Proposal.estimated_savings, Proposal.score, Proposal.judge_count, Proposal.rank, Proposal.prize,
               Enterprise.name.label("enterprise"), Town.name.label("town"), User.name.label("proposer"),
               authors.label("authors"), RealisedSaving.amount.label("realised"),
               RealisedSaving.verified_at.label("verified_at"))
        .join(Enterprise, Enterprise.id == Proposal.enterprise_id)
        .join(Town, Town.id == Enterprise.town_id)
        .join(User, User.id == Proposal.proposer_id)
        .outerjoin(RealisedSaving, RealisedSaving.proposal_id == Proposal.id)
        .where(Proposal.campaign_id == campaign.id if campaign is not None else Proposal.id.in_(among))
        .order_by(Proposal.id)
    )


def _cells(row) -> list:
    verified = _("是") if row.verified_at else (_("否") if row.realised is not None else None)
    return [row.id, str(KIND_LABELS.get(row.kind, row.kind)), row.title,
            str(PROPOSAL_STATUS_LABELS.get(row.status, row.status)), row.enterprise, row.town, row.proposer,
            row.authors, row.submitted_at, row.estimated_savings, row.judge_count, row.score, row.rank,
            str(PRIZE_LABELS[row.prize]) if row.prize else None, row.realised, verified]


def proposal_count(campaign: Campaign) -> int:
    """How many proposals the campaign has (the stored status tallies, models.proposal_tallies)."""
    return db.session.scalar(select(func.coalesce(func.sum(ProposalStatusTally.proposals), 0))
                             .where(ProposalStatusTally.campaign_id == campaign.id))


def _require_overseer(actor, campaign: Campaign) -> None:
    if not proposals_policy.can_oversee_campaign(actor, campaign):
        raise NotAllowed(_l("只有活动的主办方和上级工会可以导出提案。"))


def write_workbook(actor, campaign: Campaign, report=None) -> bytes:
    """The campaign's proposals as .xlsx bytes, one row per proposal (see the module rules): labels of
    kind, status and prize in the current language, money in yuan, marks in points, times in
    Shanghai. `report(done, total)` is called after each batch. NotAllowed for anyone but the campaign's
    owner and the levels above (services.proposals.policy.can_oversee_campaign)."""
    _require_overseer(actor, campaign)
    return _write(_rows_stmt(campaign), proposal_count(campaign), report)


def _write(rows, total: int, report=None) -> bytes:
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("提案"), COLUMNS)
    done = 0
    result = db.session.execute(rows.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        for row in batch:
            sheet.append(_cells(row))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    result.close()
    if report is not None:
        report(done, done)
    return writer.to_bytes()


@queue.job_kind(KIND, _l("导出提案"))
def export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"campaign_id": int}; the file proposals-<id>.xlsx (NotFound for a campaign
    that no longer exists, NotAllowed for anyone but an admin)."""
    campaign = get_campaign(actor, int(params["campaign_id"]))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = write_workbook(actor, campaign, report)
    return queue.JobResult(deferred("已导出 %(n)d 件提案。", n=report.done), file_name=f"proposals-{campaign.id}.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def start_export(actor, campaign: Campaign, locale: str) -> Job:
    """Record the export job of a campaign for `actor`, its labels in `locale` (e.g. "zh_Hans_CN", "en"); it
    runs after the commit. NotAllowed for anyone but the campaign's owner and the levels above."""
    _require_overseer(actor, campaign)
    return queue.enqueue(actor, KIND, campaign_id=campaign.id, locale=locale)


LIST_KIND = "proposals.list_export"


def _require_office(actor) -> None:
    if policy.management_scope(actor).kind == policy.NOBODY:
        raise NotAllowed(_l("只有工会干部和企业人力资源可以导出提案列表。"))


def start_list_export(actor, filters: listing.ProposalFilters, locale: str) -> Job:
    """Record the export job of the proposal list as `filters` filter it for `actor` (every page), its
    labels in `locale`. NotAllowed for someone without an office (a worker's own list is not exported)."""
    _require_office(actor)
    params = {name: value for name, value in vars(filters).items() if value not in (None, False, "")}
    return queue.enqueue(actor, LIST_KIND, filters=params, locale=locale)


@queue.job_kind(LIST_KIND, _l("导出提案列表"))
def list_export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: the list's rows (services.proposals.listing.proposals_query with params' filters, as the
    requester sees them now) in the workbook of the campaign export; the file proposals-list.xlsx."""
    _require_office(actor)
    filters = listing.ProposalFilters(**params.get("filters", {}))
    ids = listing.filtered(actor, filters).with_only_columns(Proposal.id)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = _write(_rows_stmt(None, ids), total, report)
    return queue.JobResult(deferred("已导出 %(n)d 件提案。", n=report.done), file_name="proposals-list.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)
