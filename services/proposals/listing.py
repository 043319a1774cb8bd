"""Lists of proposals (with their filters) and a proposal's timeline.

Rules (docs/domain.md, "The union's tree and the people in it"; the per-object rules are
services.proposals.policy):
- Workers (and judges) list their own proposals; HR the proposals of the enterprises they manage,
  other people's drafts aside; admins every proposal. "Mine" lists one's own whatever the role.
- Only admins filter by enterprise or town (the others see one enterprise at most).
- Published results are listed on the results page (services.proposals.results), not here.
- The campaign filter takes a campaign's name (any part of it), not a choice among the newest: with
  2,500 enterprise campaigns a year no drop-down holds them all. A text that names one campaign chooses
  it; one that matches several filters by all of them (at most PICKER_LIMIT, the page says so and links
  each); the page offers the newest names as the browser's own suggestions (a datalist, no script).
  A campaign that does not exist for the actor is never matched (services.proposals.policy).
- The yearly report's drill-down (services.report.five_small) lists the proposals behind a figure with
  `year` and `stage`: originals (a proposal recommended upward is listed once, as its original) first
  submitted in that year (Asia/Shanghai), neither draft nor withdrawn ("collected"), and of those the ones
  that passed screening ("valid"), were adopted or implemented at any level ("adopted", implemented ones
  included) or implemented at any level ("implemented"), and the other Five Small figures (authors,
  savings, prizes); the same definitions as the report's figures (services.proposals.reported). A span's
  total takes `first` and `last` (inclusive) instead of `year`.
  With a stage, the town filter takes the town of the submission's time, as the report does; town
  officers may use it too (inside their own town it changes nothing). A drill-down asking for a town or an
  enterprise outside the reader's reach is NotFound, as the report and the other drilled lists answer
  (`check_report_scope`), not the reader's own proposals in its place.
  The drill-down's summary line is the report's figure when the list holds exactly the figure's proposals
  (`whole_scope`), else a count over the list (`report_summary`); a per-reader list is never memoised
  (judge assignments and roles do not move the data version).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import DateTime, String, Text, and_, bindparam, cast, exists, null, or_, select

from core.statements import shared_statement
from models import Enterprise, EnterpriseTownSpan, User, db
from models.accounts import EARLIEST
from models.proposal_similarity import SimilarTitle
from models.proposals import (
    DRAFT,
    Campaign,
    Proposal,
    ProposalStatusChange,
    kind_label,
    status_label,
)
from models.vocabulary import prize_label
from services import policy
from services import report as reports
from services.accounts.search import PICKER_LIMIT, Resolution
from services.common import figures_cache
from services.common.rows import PlainRow, label_texts
from services.common.validators import normalize_text
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import policy as proposals_policy
from services.proposals import reported
from services.report import five_small, periods
from services.report import scope as scopes

CAMPAIGN_HINTS = 50  # newest campaign names offered as suggestions by the filter (any other is typed)


@dataclass
class ProposalFilters:
    """Filters of the proposal list: ids, a kind and a status code, a title search (plain text)."""

    campaign_id: int | list[int] | None = None
    kind: str | None = None
    status: str | None = None
    enterprise_id: int | list[int] | None = None
    town_id: int | None = None
    search: str | None = None
    mine: bool = False
    year: int | None = None
    stage: str | None = None
    first: int | None = None
    last: int | None = None
    prize_level: str | None = None
    prize: str | None = None


# The report's Five Small figures a list can stand behind (services.report.five_small).
STAGES = reported.STAGES


def _listed_by(actor, mine: bool):
    """Select of the proposals `actor` may list, before the filters (see the module rules)."""
    stmt = select(Proposal)
    if mine or policy.management_scope(actor).kind == policy.NOBODY:
        return stmt.where(proposals_policy.author_clause(actor.id))
    stmt = policy.scope_to(stmt, actor, Proposal.enterprise_id, at=Proposal.created_at)
    if not policy.is_admin(actor):
        stmt = stmt.where(Proposal.status != DRAFT)
    return stmt


class ListedProposal(PlainRow):
    """One line of the proposal list as plain values (no ORM entities; the long texts stay in the
    database): the proposal's id, title, kind, status, estimated savings, rank and prize code, and the
    names of its campaign, proposer and enterprise; then the kind's, status's and prize's labels as
    models.proposals.Proposal gives them (texts in the reader's language: `listed_rows`)."""

    __slots__ = ("id", "title", "kind", "status", "estimated_savings", "rank", "prize", "campaign_name",
                 "proposer_name", "enterprise_name", "kind_label", "status_label", "prize_label")


def listed_rows():
    """The maker of one page's ListedProposals from proposals_query's values (blueprints.common.keyset_page
    `rows`): each label translated once a page."""
    text = label_texts()

    def row(*values):
        return ListedProposal(*values, text(kind_label, values[2]), text(status_label, values[3]),
                              text(prize_label, values[6]))

    return row


def _listed_columns() -> tuple:
    """ListedProposal's columns: the names read as scalar subqueries through the row's unique keys (the
    planner plans one index lookup each instead of a join order over four tables)."""
    def name_of(column, key, *where):
        return select(column).where(key, *where).correlate(Proposal).scalar_subquery()

    return (Proposal.id, Proposal.title, Proposal.kind, Proposal.status, Proposal.estimated_savings,
            Proposal.rank, Proposal.prize,
            name_of(Campaign.name, Campaign.id == Proposal.campaign_id).label("campaign_name"),
            name_of(User.name, User.id == Proposal.proposer_id).label("proposer_name"),
            name_of(Enterprise.name, Enterprise.id == Proposal.enterprise_id).label("enterprise_name"))


_LISTED: list = []  # the columns, built on first use (the labelled subqueries hold no values)


def proposals_query(actor, filters: ProposalFilters):
    """Select of the proposals `actor` may list, filtered; newest (highest id) first; plain columns in
    ListedProposal's order (with the names of campaign, proposer and enterprise). Page it by id
    (blueprints.common.keyset_page with rows=listed_rows()): the lists run to tens of thousands of rows,
    so no OFFSET and no COUNT."""
    if not _LISTED:
        _LISTED.extend(_listed_columns())
    return filtered(actor, filters, paged=True).with_only_columns(*_LISTED).order_by(Proposal.id.desc())


def filtered(actor, filters: ProposalFilters, paged: bool = False):
    """Select of the proposals `actor` may list with `filters` applied (no order, nothing loaded); `paged`
    for a page in id order (services.proposals.reported.conditions)."""
    stmt = _listed_by(actor, filters.mine)
    if filters.campaign_id is not None:  # an id, or the campaign filter's matches
        ids = filters.campaign_id if isinstance(filters.campaign_id, list) else [filters.campaign_id]
        stmt = stmt.where(Proposal.campaign_id.in_(ids))
    if filters.kind:
        stmt = stmt.where(Proposal.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Proposal.status == filters.status)
    if filters.enterprise_id is not None and policy.oversees_enterprises(actor):  # an id, or a picker's matches
        ids = filters.enterprise_id if isinstance(filters.enterprise_id, list) else [filters.enterprise_id]
        stmt = stmt.where(Proposal.enterprise_id.in_(ids))
    drilled = bool(filters.stage or filters.year or filters.first)
    if filters.town_id and (policy.is_admin(actor) or drilled and policy.oversees_enterprises(actor)):
        # the town of the proposal's time (town history): its creation, or for the report its submission
        stmt = stmt.where(policy.town_condition(filters.town_id, Proposal.enterprise_id,
                                                at=Proposal.submitted_at if drilled else Proposal.created_at))
    if filters.search:
        stmt = stmt.where(Proposal.title.contains(filters.search, autoescape=True))
    if drilled:
        stmt = stmt.where(*_reported(filters, paged))
    return stmt


def _reported(filters: ProposalFilters, paged: bool = False) -> list:
    """Conditions of the report's drill-down (services.proposals.reported: the figure's definition)."""
    return reported.conditions(filters.stage, filters.year, filters.first, filters.last, filters.prize_level,
                               filters.prize, paged=paged)


def check_report_scope(actor, filters: ProposalFilters, enterprise_id: int | None = None):
    """Refuse a drill-down (a `year`, `first` or `stage`) whose scope the report would refuse: the
    `enterprise_id` asked for in the address (the report's drill-down names one id; the picker drops one
    outside the reader's reach), else `filters.town_id`, checked as services.report.scope.resolve checks the
    report's (NotAllowed without an office, NotFound for a town or enterprise outside the reader's reach),
    so a drilled list never quietly shows another scope than the one asked for. A list that is not a
    drill-down, "mine", and the list of someone without an office (their own proposals) are not checked.
    Returns the drill-down's scope (services.report.scope.ReportScope, its name for the list's "统计报告口径"
    line), None when not checked."""
    if filters.mine or not (filters.stage or filters.year or filters.first):
        return None
    if policy.management_scope(actor).kind == policy.NOBODY:
        return None
    return scopes.resolve(actor, town_id=filters.town_id, enterprise_id=enterprise_id)


def report_summary(actor, filters: ProposalFilters) -> dict | None:
    """What the report's figure behind the list counts over the listed proposals
    (services.proposals.reported.summary), None for a list that is not a drill-down.

    When the list holds exactly the figure's records (`whole_scope`: the reader sees the report's whole
    scope and no other filter narrows it), the summary is the figure's: read from the report when it is
    memoised (services.report.memoised_section), else counted over the scope once per data version
    (services.common.figures_cache; a scope's result, never a reader's). Otherwise it is counted over the
    listed proposals on each view. Both give the same numbers."""
    if not (filters.stage or filters.year or filters.first):
        return None
    found = whole_scope(actor, filters)
    if found is None:
        return reported.summary(filters.stage, filtered(actor, filters).with_only_columns(Proposal.id))
    scope, span = found
    part = reports.memoised_section(scope, span, "five_small")
    if part is not None:
        summary = five_small.summary_of(part, span, filters.stage, filters.prize_level, filters.prize)
        if summary is not None:
            return summary
    key = ("proposals.drill_summary", scope.key, span.first, span.last, filters.stage, filters.prize_level,
           filters.prize)
    return figures_cache.memoised(key, lambda: reported.summary(filters.stage, select(Proposal.id).where(
        *reported.conditions(filters.stage, None, span.first, span.last, filters.prize_level, filters.prize),
        scopes.records(scope, Proposal.enterprise_id, at=Proposal.submitted_at))))


def whole_scope(actor, filters: ProposalFilters):
    """(report scope, span) when the drilled list of `actor` with `filters` lists exactly the records of
    that scope's figure, else None. That is: a year or a valid span (services.report.periods.span_of), no
    campaign, kind, status, search or "mine"; and a scope the reader may read whole
    (services.report.scope.resolve), with the list's visibility equal to it: an admin the city, the town
    asked for or the one enterprise picked; HR their enterprise (the list ignores town and enterprise for
    them); a town officer their town, with no enterprise picked and no proposal of the span that changed
    town between its creation (what the officer's visibility reads) and its submission (what the figure
    reads) (`_town_times_agree`). At most one query (memoised per data version)."""
    if not (filters.year or filters.first) or filters.mine or filters.search or filters.kind or filters.status:
        return None
    if filters.campaign_id is not None:
        return None
    try:
        span = periods.span_of(filters.year, filters.year) if filters.year else periods.span_of(filters.first,
                                                                                                filters.last)
    except RuleViolation:
        return None
    node = policy.management_scope(actor)
    picked = filters.enterprise_id if policy.oversees_enterprises(actor) else None
    if picked is not None and not isinstance(picked, int):
        picked = picked[0] if len(picked) == 1 else False
    if picked is False or node.kind == policy.TOWN and picked is not None:
        return None
    if node.kind == policy.CITY:
        town_id = None if picked is not None else filters.town_id
        if picked is not None and filters.town_id:
            return None
    elif node.kind == policy.TOWN:
        if filters.town_id not in (None, node.id):
            return None
        town_id = node.id
    else:
        town_id, picked = None, None
    try:
        scope = scopes.resolve(actor, town_id=town_id, enterprise_id=picked)
    except (NotAllowed, NotFound):
        return None
    if node.kind == policy.TOWN and not _town_times_agree(scope.id, span):
        return None
    return scope, span


def _town_times_agree(town_id: int, span) -> bool:
    """No original proposal submitted in `span` has its enterprise enter or leave town `town_id` between
    the proposal's creation and its submission: then a town officer's visibility (the town at creation)
    and the report's attribution (the town at submission) agree on every proposal of the span. One query
    over the town's moved spans (an enterprise that never moved has one span from EARLIEST, skipped), each
    with its enterprise's proposals; memoised per data version (both tables move it)."""
    span_row = EnterpriseTownSpan

    def straddles() -> bool:
        boundary = or_(and_(Proposal.created_at < span_row.valid_from, span_row.valid_from <= Proposal.submitted_at),
                       and_(span_row.valid_to.is_not(None), Proposal.created_at < span_row.valid_to,
                            span_row.valid_to <= Proposal.submitted_at))
        straddling = exists().where(Proposal.enterprise_id == span_row.enterprise_id, boundary,
                                    *reported.conditions(None, None, span.first, span.last))
        return db.session.scalar(  # the town's moved spans first, each asking for its enterprise's proposals
            select(span_row.id).where(span_row.town_id == town_id,
                                      or_(span_row.valid_from > EARLIEST, span_row.valid_to.is_not(None)),
                                      straddling).limit(1)) is not None

    return not figures_cache.memoised(("proposals.town_straddles", town_id, span.first, span.last), straddles)


class TimelineStep(PlainRow):
    """One status change of a proposal's time line as plain values (the status before and after, when, who:
    the account's id and name, None for the platform; the screening reason, the note as stored) with the
    labels of models.proposals.ProposalStatusChange (its properties, reused)."""

    __slots__ = ("from_status", "to_status", "at", "actor_id", "actor_name", "reason", "note")
    to_label = vars(ProposalStatusChange)["to_label"]
    reason_label = vars(ProposalStatusChange)["reason_label"]
    note_text = vars(ProposalStatusChange)["note_text"]


def timeline_select():
    """The time line's columns (TimelineStep's) of the proposal whose id is the bind parameter
    "proposal_id", led by the status change's id (`seq`), unordered."""
    return (select(ProposalStatusChange.id.label("seq"), ProposalStatusChange.from_status,
                   ProposalStatusChange.to_status, ProposalStatusChange.at, ProposalStatusChange.actor_id,
                   User.name, ProposalStatusChange.reason, ProposalStatusChange.note)
            .outerjoin(User, User.id == ProposalStatusChange.actor_id)
            .where(ProposalStatusChange.proposal_id == bindparam("proposal_id")))


def timeline(proposal: Proposal) -> list[TimelineStep]:
    """The proposal's status changes in order, each with who made it (only the name of the account), as
    plain rows: a kept statement (core.statements.shared_statement)."""
    rows = db.session.execute(shared_statement(("proposals.timeline",), lambda: timeline_select().order_by(
        ProposalStatusChange.id)), {"proposal_id": proposal.id})
    return [TimelineStep(*row[1:]) for row in rows]


def similar_select():
    """The similar titles (similar_titles.flags_of's) of the proposal whose id is the bind parameter
    "proposal_id" in timeline_select's columns: the other proposal's id as `seq` and actor_id, its title as
    the name, no status (a change always has one); unordered."""
    return (select(Proposal.id, cast(null(), String), cast(null(), String), cast(null(), DateTime), Proposal.id,
                   Proposal.title, cast(null(), String), cast(null(), Text))
            .join(SimilarTitle, SimilarTitle.similar_id == Proposal.id)
            .where(SimilarTitle.proposal_id == bindparam("proposal_id")))


def _visible_campaigns(actor):
    owner = db.joinedload(Campaign.owner_enterprise).load_only(Enterprise.name)
    return (select(Campaign).where(proposals_policy.campaign_visible_clause(actor))
            .options(db.lazyload(Campaign.criteria), owner, db.joinedload(Campaign.owner_town)))


def campaign_hints(actor) -> list[str]:
    """The names of the CAMPAIGN_HINTS newest campaigns that exist for `actor`, for the filter's
    suggestions (one query; older ones are found by typing their name). For the city, for whom every
    campaign exists, they are counted data only (Campaign), memoised per data version
    (services.common.figures_cache); anyone else's depend on their panels too and are read each time."""
    def names():
        return list(dict.fromkeys(db.session.scalars(
            select(Campaign.name).where(proposals_policy.campaign_visible_clause(actor))
            .order_by(Campaign.id.desc()).limit(CAMPAIGN_HINTS))))

    if policy.management_scope(actor).kind == policy.CITY:
        return figures_cache.memoised(("proposals.campaign_hints", policy.CITY), names)
    return names()


def resolve_campaign(actor, text: str | None, chosen_id: int | None = None) -> Resolution:
    """What the campaign filter names (see the module rules): `chosen` when the text (or, without text,
    the id of a link) names one campaign that exists for `actor`, else every match of the text (newest
    first, at most PICKER_LIMIT; `more` beyond); a name several owners use matches all of theirs. At most
    three queries, whatever the number of campaigns."""
    if text is None and chosen_id:  # a link naming the id only (e.g. from a campaign's page)
        chosen = db.session.scalar(_visible_campaigns(actor).where(Campaign.id == chosen_id))
        return Resolution(chosen.name, chosen=chosen) if chosen is not None else Resolution()
    text = normalize_text(text)
    if not text:
        return Resolution()
    stmt = _visible_campaigns(actor)
    if chosen_id:
        chosen = db.session.scalar(stmt.where(Campaign.id == chosen_id))
        if chosen is not None and chosen.name in text:  # the text still names it (a link adds the owner)
            return Resolution(text, chosen=chosen)
    newest, limit = Campaign.id.desc(), PICKER_LIMIT + 1
    # A name several owners use names all of theirs; else any campaign whose name contains the text.
    found = (list(db.session.scalars(stmt.where(Campaign.name == text).order_by(newest).limit(limit)))
             or list(db.session.scalars(stmt.where(Campaign.name.contains(text, autoescape=True))
                                        .order_by(newest).limit(limit))))
    if len(found) == 1:
        return Resolution(text, chosen=found[0])
    return Resolution(text, matches=found[:PICKER_LIMIT], more=len(found) > PICKER_LIMIT)
