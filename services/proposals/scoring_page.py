"""The judge's scoring page (GET /proposals/review/<proposal id>) read as plain rows.

Rules: the same as services.proposals.judging.get_assignment: a judge sees only their own assignment
free of conflict (not_conflicted_clause, in the SQL), else NotFound; with blind review (unpublished) the
authors' names and enterprise are neither read nor shown (sees_identity). Marking (POST) goes
through judging.get_assignment and judging.save_marks.

Why: reading the page through the ORM object graph (the assignment, its proposal with campaign,
enterprise, authors, attachments, rubric and marks: one query and four selectin loads) was ~40 % of the
page. The same values are read here by kept statements (core.statements, bind parameters) on the
session's connection, two statements (three when the authors are shown).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select

from core.statements import shared_statement
from models import Enterprise, User, db
from models.files import StoredFile
from models.proposals import (
    Campaign,
    JudgeAssignment,
    Mark,
    Proposal,
    ProposalAttachment,
    ProposalAuthor,
    RubricCriterion,
)
from models.proposals import kind_label as label_of_kind
from models.vocabulary import CRITERION_LABELS, reference_label
from services.proposals import judging
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import is_published

# The page (GET) shows one assignment; reading it through the ORM object graph (the assignment, its
# proposal with campaign, enterprise, authors, attachments, rubric and marks) was ~40 % of the page. The
# same rows are read here by kept statements with bind parameters (core.statements); marking (POST)
# still goes through get_assignment and save_marks.

_JUDGE = bindparam("judge_id")
_JUDGE_ENTERPRISE = bindparam("judge_enterprise_id")
_PROPOSAL = bindparam("proposal_id")


class _Judge(NamedTuple):
    """The judge in a kept statement, for not_conflicted_clause (reads `.id` and `.enterprise_id`)."""

    id: object
    enterprise_id: object


class ShownCriterion(NamedTuple):
    """A criterion of the rubric as the marking form needs it, with the judge's current mark."""

    id: int
    name: str
    weight: int
    mark: int | None

    @property
    def label(self):
        return reference_label(CRITERION_LABELS, self.name)


class ShownFile(NamedTuple):
    content_type: str | None


class ShownAttachment(NamedTuple):
    id: int
    file: ShownFile


class ShownName(NamedTuple):
    name: str


class ShownAuthor(NamedTuple):
    user: ShownName


class ShownEnterprise(NamedTuple):
    name: str | None


class ShownCampaign(NamedTuple):
    id: int
    name: str
    judging_opens_at: object
    judging_closes_at: object
    blind_review: bool
    locked: bool
    status: str
    criteria: list[ShownCriterion]


class ShownProposal(NamedTuple):
    id: int
    title: str
    kind: str
    problem: str | None
    solution: str | None
    expected_benefit: str | None
    estimated_savings: Decimal | None
    enterprise_id: int | None
    created_at: object
    enterprise: ShownEnterprise
    campaign: ShownCampaign
    attachments: list[ShownAttachment]
    authors: list[ShownAuthor] | None

    @property
    def kind_label(self):
        return label_of_kind(self.kind)


class ShownAssignment(NamedTuple):
    id: int
    proposal_id: int
    submitted_at: object
    proposal: ShownProposal


def _scoring_statement(has_enterprise: bool):
    """The assignment with its proposal, campaign and enterprise, one row per criterion of the rubric (in
    its order) with the judge's mark on it (one row with no criterion for an empty rubric)."""
    judge = _Judge(_JUDGE, _JUDGE_ENTERPRISE if has_enterprise else None)
    return (select(JudgeAssignment.id, JudgeAssignment.submitted_at,
                   Proposal.id, Proposal.title, Proposal.kind, Proposal.problem, Proposal.solution,
                   Proposal.expected_benefit, Proposal.estimated_savings, Proposal.enterprise_id, Proposal.created_at,
                   Enterprise.name,
                   Campaign.id, Campaign.name, Campaign.judging_opens_at, Campaign.judging_closes_at,
                   Campaign.blind_review, Campaign.locked, Campaign.status,
                   RubricCriterion.id, RubricCriterion.name, RubricCriterion.weight, Mark.mark)
            .join(Proposal, Proposal.id == JudgeAssignment.proposal_id)
            .join(Campaign, Campaign.id == Proposal.campaign_id)
            .outerjoin(Enterprise, Enterprise.id == Proposal.enterprise_id)
            .outerjoin(RubricCriterion, RubricCriterion.campaign_id == Campaign.id)
            .outerjoin(Mark, and_(Mark.assignment_id == JudgeAssignment.id, Mark.criterion_id == RubricCriterion.id))
            .where(JudgeAssignment.judge_id == _JUDGE, JudgeAssignment.proposal_id == _PROPOSAL,
                   proposals_policy.not_conflicted_clause(judge, JudgeAssignment.proposal_id))
            .order_by(RubricCriterion.position, RubricCriterion.id))


def scoring_page(judge, proposal_id: int) -> tuple[ShownAssignment, bool]:
    """The judge's own, conflict-free assignment for a proposal as the scoring page shows it (plain rows:
    the proposal's text, campaign, rubric with the judge's marks, attachments), else NotFound, with
    whether the judge sees the authors and enterprise (sees_identity); their names are read
    and kept only then, so a blind review never carries them to the page. Same rule as get_assignment.
    Kept statements run on the session's connection (Core: no ORM result processing)."""
    rows = []
    connection = db.session.connection()
    if judge is not None and judge.is_authenticated:
        has_enterprise = judge.enterprise_id is not None
        rows = connection.execute(
            shared_statement(("proposals.scoring_page", has_enterprise), lambda: _scoring_statement(has_enterprise)),
            {"judge_id": judge.id, "judge_enterprise_id": judge.enterprise_id, "proposal_id": proposal_id},
        ).all()
    if not rows:
        judging.assignment_not_found()
    (assignment_id, submitted_at, pid, title, kind, problem, solution, benefit, savings, enterprise_id, created_at,
     enterprise_name, campaign_id, campaign_name, opens, closes, blind, locked, status) = rows[0][:19]
    criteria = [ShownCriterion(*r[19:]) for r in rows if r[19] is not None]
    attachments = [ShownAttachment(aid, ShownFile(content_type)) for aid, content_type in connection.execute(
        shared_statement(("proposals.scoring_page.attachments",), lambda: (
            select(ProposalAttachment.id, StoredFile.content_type)
            .join(StoredFile, StoredFile.id == ProposalAttachment.file_id)
            .where(ProposalAttachment.proposal_id == _PROPOSAL).order_by(ProposalAttachment.id))),
        {"proposal_id": pid})]
    campaign = ShownCampaign(campaign_id, campaign_name, opens, closes, blind, locked, status, criteria)
    proposal = ShownProposal(pid, title, kind, problem, solution, benefit, savings, enterprise_id, created_at,
                             ShownEnterprise(None), campaign, attachments, None)
    sees = sees_identity(judge, proposal)
    if sees:
        authors = [ShownAuthor(ShownName(name)) for name in connection.execute(shared_statement(
            ("proposals.scoring_page.authors",), lambda: (
                select(User.name).select_from(ProposalAuthor).join(User, User.id == ProposalAuthor.user_id)
                .where(ProposalAuthor.proposal_id == _PROPOSAL).order_by(ProposalAuthor.position))),
            {"proposal_id": pid}).scalars()]
        proposal = proposal._replace(enterprise=ShownEnterprise(enterprise_name), authors=authors)
    return ShownAssignment(assignment_id, pid, submitted_at, proposal), sees


def sees_identity(judge, proposal: ShownProposal) -> bool:
    """policy.can_see_identity for the judge's own, conflict-free assignment read as plain rows: the judge
    is no author of it (not_conflicted_clause), so the authors and enterprise are shown to one who manages
    the proposal (policy.manages: its enterprise_id and created_at), or when the campaign is not blind or
    its results are published."""
    if proposals_policy.manages(judge, proposal):
        return True
    return not proposal.campaign.blind_review or is_published(proposal.campaign)


def shown_marks(assignment: ShownAssignment) -> dict[int, int]:
    """Criterion id -> the judge's current mark, of a scoring_page assignment (as marks_of)."""
    return {c.id: c.mark for c in assignment.proposal.campaign.criteria if c.mark is not None}
