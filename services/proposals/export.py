"""Excel export of a campaign's proposals and results (.xlsx), for union admins.

The workbook is written with openpyxl's write_only mode (rows go straight to a temporary file) while
the query is iterated with yield_per, so 50,000 proposals never sit in memory at once; the view then
streams the finished file in chunks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import func, select

from models import Enterprise, Town, User, db
from models.proposals import KIND_LABELS, PROPOSAL_STATUS_LABELS, Campaign, Proposal, ProposalAuthor, RealisedSaving
from models.vocabulary import PRIZE_LABELS
from services import policy

CHUNK = 64 * 1024
BATCH = 1000


def _rows_stmt(campaign: Campaign):
    """One row per proposal of the campaign with its enterprise, town, proposer, author count and saving."""
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
        .where(Proposal.campaign_id == campaign.id)
        .order_by(Proposal.id)
    )


def write_workbook(actor, campaign: Campaign, target) -> int:
    """Write the campaign's proposals to `target` (a path or binary file); returns the row count.

    One row per proposal: labels of kind, status and prize in the request's language, money in yuan,
    times as naive UTC (Excel knows no time zones). NotAllowed for anyone but a union admin.
    """
    policy.require_admin(actor)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("提案"))
    sheet.append([_("编号"), _("类别"), _("标题"), _("状态"), _("企业"), _("镇/街道"), _("提案人"), _("作者人数"),
                  _("提交时间"), _("预计年节约额（元）"), _("评委人数"), _("综合得分"), _("名次"), _("奖项"),
                  _("实际年节约额（元）"), _("已核实")])
    count = 0
    result = db.session.execute(_rows_stmt(campaign).execution_options(yield_per=BATCH))
    for row in result:
        sheet.append([
            row.id, str(KIND_LABELS.get(row.kind, row.kind)), row.title,
            str(PROPOSAL_STATUS_LABELS.get(row.status, row.status)),
            row.enterprise, row.town, row.proposer, row.authors,
            row.submitted_at.replace(tzinfo=None) if row.submitted_at else None,
            row.estimated_savings, row.judge_count, row.score, row.rank,
            str(PRIZE_LABELS[row.prize]) if row.prize else None, row.realised,
            _("是") if row.verified_at else (_("否") if row.realised is not None else None),
        ])
        count += 1
    result.close()
    workbook.save(target)
    return count


def stream_export(actor, campaign: Campaign) -> Iterator[bytes]:
    """Build the workbook in a temporary file, then yield it in chunks (the file is removed after)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the generator once streamed
    write_workbook(actor, campaign, spool)
    spool.seek(0)

    def chunks():
        with spool:
            while data := spool.read(CHUNK):
                yield data

    return chunks()
