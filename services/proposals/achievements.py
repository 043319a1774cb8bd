"""The city's "top ten" innovation achievements (全市十大创新成果, issue 16).

Rules (docs/domain.md, "Five Small", "The yearly report"):
- Only union administrators designate an achievement and remove (撤销) one (NotAllowed otherwise).
- What is designated is a PROPOSAL: a proposal recommended through several levels is one proposal, its
  original (`origin_id IS NULL`); a copy in a higher campaign is resolved to its original. The original
  must have passed screening (models.proposals.VALID_STATUSES: a withdrawn, returned or rejected one never
  qualifies) and is designated once (RuleViolation otherwise; a unique index is the last word).
- Its year defaults to the year (Asia/Shanghai) of the original's first submission; it may be later (the
  achievement showed its worth a year on) but never earlier, nor after the current year.
- At most ten a year ("每年最多评选十项"), each at a position 1-10 (the order of the list). The admin picks
  the position, or leaves it blank for the first free one. Positions are not renumbered: removing one
  leaves its position free for the next designation (the list keeps the order the admin chose and a
  removal does not silently move anyone else); unique (year, position) and the check 1-10 in the
  database hold a year to ten even under concurrent designations.
- An optional citation (评语) of at most 200 characters.
- Each designation and removal writes an audit record (the removed row is gone, its audit record keeps
  proposal, year, position and citation). The authors get a message when their proposal is designated.
- Readers: every officer (union admins, town officers, HR) reads every year's list, a city honour public
  within the platform (the view's roles); the proposal's page and the authors' growth record show it.
- A list is one year's or, for the yearly report's span total, the years first..last (at most
  services.report.periods.MAX_YEARS, so at most fifty rows), newest year first, each year in position
  order; a wrong span (last before first, too long) is NotFound with the reason (no page makes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, EnterpriseTownSpan, Town, User, db
from models.achievements import CITATION_MAX, TOP_TEN_SIZE, TopAchievement
from models.proposals import VALID_STATUSES, Proposal, ProposalAuthor, RealisedSaving
from services import policy
from services.accounts.enterprises import get_enterprise
from services.common import audit
from services.common.i18n import deferred
from services.errors import NotFound, RuleViolation
from services.messages import inbox
from services.report import periods

CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class Listed:
    """One row of a year's list: the designation and what the list shows of its proposal."""

    achievement: TopAchievement
    title: str
    enterprise: str
    town: object
    authors: tuple[str, ...]
    estimated_savings: Decimal | None
    verified_savings: Decimal | None


def _require_admin(actor) -> None:
    policy.require_admin(actor, _l("只有总工会管理员可以评选和撤销全市十大创新成果。"))


def _check_chosen(proposal: Proposal | None) -> None:
    if proposal is None:
        raise RuleViolation(_l("请先搜索并选定一项提案。"), field="proposal_id")


def original_of(proposal: Proposal) -> Proposal:
    """The original of `proposal` (itself when it is one): the proposal a designation is about."""
    return proposal if proposal.origin_id is None else db.session.get(Proposal, proposal.origin_id)


def submission_year(proposal: Proposal) -> int | None:
    """The year (Asia/Shanghai) of the proposal's first submission, None if never submitted."""
    return proposal.submitted_at.astimezone(clock.SHANGHAI).year if proposal.submitted_at else None


def _check_valid(original: Proposal) -> None:
    if original.status not in VALID_STATUSES or original.submitted_at is None:
        raise RuleViolation(_l("只有通过初审的有效提案（未撤回）才能入选十大创新成果。"), field="proposal_id")


def _check_not_designated(original: Proposal) -> None:
    year = db.session.scalar(select(TopAchievement.year).where(TopAchievement.proposal_id == original.id))
    if year is not None:
        raise RuleViolation(_l("这项提案已入选%(year)s年全市十大创新成果。", year=year), field="proposal_id")


def _check_year(year: int, first: int) -> None:
    if year < first:
        raise RuleViolation(_l("评选年份不能早于提案首次提交的年份（%(year)s年）。", year=first), field="year")
    if year > clock.today().year:
        raise RuleViolation(_l("评选年份不能晚于今年。"), field="year")


def _check_room(year: int) -> None:
    taken = db.session.scalar(select(func.count()).select_from(TopAchievement).where(TopAchievement.year == year))
    if taken >= TOP_TEN_SIZE:
        raise RuleViolation(_l("每年最多评选十项。"), field="position")


def _check_position(year: int, position: int) -> None:
    if not 1 <= position <= TOP_TEN_SIZE:
        raise RuleViolation(_l("名次应在 1 到 10 之间。"), field="position")
    if db.session.scalar(select(TopAchievement.id).where(TopAchievement.year == year,
                                                         TopAchievement.position == position)):
        raise RuleViolation(_l("%(year)s年第 %(n)s 名已有成果，请选择其他名次或先撤销。", year=year, n=position),
                            field="position")


def _first_free(year: int) -> int:
    taken = set(db.session.scalars(select(TopAchievement.position).where(TopAchievement.year == year)))
    return next(n for n in range(1, TOP_TEN_SIZE + 1) if n not in taken)


def _clean_citation(citation: str | None) -> str | None:
    text = " ".join((citation or "").split())
    if len(text) > CITATION_MAX:
        raise RuleViolation(_l("评语不超过 200 字。"), field="citation")
    return text or None


def designate(actor, proposal: Proposal | None, year: int | None = None, position: int | None = None,
              citation: str | None = None) -> TopAchievement:
    """The union admin designates `proposal` (resolved to its original) one of the city's top ten
    innovation achievements of `year` (default: its first submission's year) at `position` (default:
    the first free one), with an optional citation (see the module rules).

    NotAllowed for anyone but a union admin; RuleViolation (on the form's field) for no proposal, one
    not valid or already designated, a year before its submission or after this one, a full year, a
    position outside 1-10 or taken, a citation over 200 characters. Audited; the authors are told."""
    _require_admin(actor)
    _check_chosen(proposal)
    original = original_of(proposal)
    _check_valid(original)
    _check_not_designated(original)
    first = submission_year(original)
    year = first if year is None else year
    _check_year(year, first)
    _check_room(year)
    if position is None:
        position = _first_free(year)
    _check_position(year, position)
    citation = _clean_citation(citation)
    achievement = TopAchievement(year=year, position=position, proposal_id=original.id, citation=citation,
                                 designated_by_id=actor.id, designated_at=clock.now())
    db.session.add(achievement)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a concurrent designation took the proposal or the position first
        _check_not_designated(original)
        _check_position(year, position)
        raise
    audit.record("achievements.designated", actor=actor, obj=achievement, enterprise_id=original.enterprise_id,
                 proposal_id=original.id, year=year, position=position, citation=citation)
    _tell_authors(original, year)
    return achievement


def _tell_authors(original: Proposal, year: int) -> None:
    authors = set(db.session.scalars(select(ProposalAuthor.user_id).where(ProposalAuthor.proposal_id == original.id)))
    inbox.notify(authors | {original.proposer_id}, "proposal.top_ten",
                 deferred("您的提案“%(title)s”入选%(year)s年全市十大创新成果。", title=original.title, year=year),
                 link=inbox.link_to("proposals.show", proposal_id=original.id))


def remove(actor, achievement: TopAchievement) -> None:
    """The union admin removes (撤销) a designation: the row goes, its position is free again and the
    other positions stay as they are; an audit record keeps what was removed. NotAllowed for anyone
    but a union admin."""
    _require_admin(actor)
    audit.record("achievements.removed", actor=actor, obj=achievement,
                 enterprise_id=achievement.proposal.enterprise_id, proposal_id=achievement.proposal_id,
                 year=achievement.year, position=achievement.position, citation=achievement.citation)
    db.session.delete(achievement)
    db.session.flush()


def get_achievement(achievement_id: int) -> TopAchievement:
    """The designation, or NotFound."""
    achievement = db.session.get(TopAchievement, achievement_id)
    if achievement is None:
        raise NotFound(_l("找不到这项十大创新成果。"))
    return achievement


def years() -> list[int]:
    """The years with designations and the current year, newest first (one query)."""
    found = set(db.session.scalars(shared_statement(("proposals.top_ten_years",),
                                                    lambda: select(TopAchievement.year).distinct())))
    return sorted(found | {clock.today().year}, reverse=True)


def listed_years(year: int | None = None, first: int | None = None, last: int | None = None) -> periods.Span:
    """The years a list asks for: `year` (this year when none), or `first`..`last` (the report's span
    total). NotFound, with the reason, for a span whose last year is before its first or longer than
    periods.MAX_YEARS."""
    if year or not first:
        return periods.Span(year or clock.today().year, year or clock.today().year)
    try:
        return periods.span_of(first, last)
    except RuleViolation as refusal:
        raise NotFound(refusal.message) from None


def year_list(year: int, where=()) -> list[Listed]:
    """The designations of `year` (and `where`: SQL on Proposal, the original): `span_list` of one year."""
    return span_list(periods.Span(year, year), where)


def _span_select():
    """span_list's select of the years between the bind parameters "first" and "last" (a kept statement:
    built once per process, its aliases and correlated subquery with it)."""
    town_span = aliased(EnterpriseTownSpan)
    level = aliased(Proposal)
    verified = (select(func.max(RealisedSaving.amount))
                .join(level, level.id == RealisedSaving.proposal_id)
                .where(or_(level.id == Proposal.id, level.origin_id == Proposal.id),
                       RealisedSaving.verified_at.is_not(None))
                .correlate(Proposal).scalar_subquery())
    return (select(TopAchievement, Proposal.title, Enterprise.name, Town, Proposal.estimated_savings, verified)
            .join(Proposal, Proposal.id == TopAchievement.proposal_id)
            .join(Enterprise, Enterprise.id == Proposal.enterprise_id)
            .outerjoin(town_span, and_(town_span.enterprise_id == Proposal.enterprise_id,
                                       town_span.valid_from <= Proposal.submitted_at,
                                       or_(town_span.valid_to.is_(None), town_span.valid_to > Proposal.submitted_at)))
            .outerjoin(Town, Town.id == town_span.town_id)
            .where(TopAchievement.year.between(bindparam("first"), bindparam("last")))
            .order_by(TopAchievement.year.desc(), TopAchievement.position))


def _authors_select():
    """The authors' names of the proposals whose ids are the expanding bind parameter "ids", each
    proposal's in their order (a kept statement)."""
    return (select(ProposalAuthor.proposal_id, User.name).join(User, User.id == ProposalAuthor.user_id)
            .where(ProposalAuthor.proposal_id.in_(bindparam("ids", expanding=True)))
            .order_by(ProposalAuthor.proposal_id, ProposalAuthor.position))


def span_list(span: periods.Span, where=()) -> list[Listed]:
    """The designations of the span's years (and `where`: SQL on Proposal, the original), newest year
    first, each year in position order (at most ten a year), with the title, the enterprise and town the
    original was submitted from (the town by the enterprise's town history at that moment), its authors,
    estimated savings and the largest verified saving at any level (two queries whatever the rows)."""
    stmt = shared_statement(("proposals.top_ten_span",), _span_select)
    rows = db.session.execute(stmt.where(*where) if where else stmt, {"first": span.first, "last": span.last}).all()
    names: dict[int, list[str]] = {}
    ids = [row[0].proposal_id for row in rows]
    if ids:
        for proposal_id, name in db.session.execute(shared_statement(("proposals.top_ten_authors",), _authors_select),
                                                    {"ids": ids}):
            names.setdefault(proposal_id, []).append(name)
    return [Listed(a, title, enterprise, town.label if town else "", tuple(names.get(a.proposal_id, ())),
                   estimated, verified_amount)
            for a, title, enterprise, town, estimated, verified_amount in rows]


def submitted_from(town_id: int | None = None, enterprise_id: int | None = None) -> tuple[tuple, object]:
    """(SQL conditions on Proposal, the original; the name of the place) for a year's list narrowed as the
    report attributes a proposal (services.report.scope.records): submitted from the enterprise, or from an
    enterprise then in the town; no condition and no name for the whole city. The list is public within the
    platform, so any officer may narrow it to any town or enterprise; one that does not exist: NotFound."""
    if enterprise_id is not None:
        enterprise = get_enterprise(enterprise_id)
        return (Proposal.enterprise_id == enterprise.id,), enterprise.name
    if town_id is not None:
        town = db.session.get(Town, town_id)
        if town is None:
            raise NotFound(_l("没有这个镇（街道）。"))
        return (policy.town_condition(town.id, Proposal.enterprise_id, Proposal.submitted_at),), town.label
    return (), None


def candidates(text: str | None) -> list[Proposal]:
    """Valid originals of the city not yet designated whose title contains `text` or whose number (id) is
    `text`, newest first, at most CANDIDATES_SHOWN (one query; nothing for an empty text)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    match = Proposal.title.contains(text, autoescape=True)
    if text.isdigit():
        match = or_(match, Proposal.id == int(text))
    return list(db.session.scalars(
        select(Proposal).options(db.joinedload(Proposal.enterprise))
        .where(Proposal.origin_id.is_(None), Proposal.status.in_(VALID_STATUSES), Proposal.submitted_at.is_not(None),
               match, ~select(TopAchievement.id).where(TopAchievement.proposal_id == Proposal.id).exists())
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc()).limit(CANDIDATES_SHOWN)))


def candidate(proposal_id: int | None) -> Proposal | None:
    """The proposal a picker chose (any proposal; `designate` checks it), or None."""
    return db.session.get(Proposal, proposal_id) if proposal_id else None


def honour_of(proposal: Proposal) -> TopAchievement | None:
    """The designation of the proposal's identity (its original), for any entry of the chain (one query, a
    kept statement: core.statements.shared_statement)."""
    return db.session.scalar(shared_statement(("proposals.honour_of",), lambda: select(TopAchievement).where(
        TopAchievement.proposal_id == bindparam("proposal_id"))), {"proposal_id": proposal.identity_id})


def honours_of(worker_ids) -> dict[int, list[tuple[TopAchievement, str]]]:
    """Worker id -> their (designation, proposal title) as authors of the original, newest year first (one
    query)."""
    ids = list(worker_ids)
    result: dict[int, list[tuple[TopAchievement, str]]] = {worker_id: [] for worker_id in ids}
    if not ids:
        return result
    for achievement, author_id, title in db.session.execute(
            select(TopAchievement, ProposalAuthor.user_id, Proposal.title)
            .join(Proposal, Proposal.id == TopAchievement.proposal_id)
            .join(ProposalAuthor, ProposalAuthor.proposal_id == Proposal.id)
            .where(ProposalAuthor.user_id.in_(ids)).order_by(TopAchievement.year.desc(), TopAchievement.position)):
        result[author_id].append((achievement, title))
    return result
