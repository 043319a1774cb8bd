"""Participation (参与面) in the yearly report (issue 16): how many member enterprises and workers took
part in any part of the mechanism, as counts and as shares.

Definitions (shown on the page; docs/domain.md, "The yearly report"):
- A person takes part in a year when they authored a proposal first submitted in it, competed in a
  competition held in it (confirmed entry; every team member), started a mentoring pair in it (mentor
  and apprentice, by the day both confirmed), attended a training class held in it, or were nominated
  for a title in it (`PARTS`).
- An enterprise takes part when one of those records was made from it. Each record counts for the
  scope of its enterprise at the time; distinct people and enterprises are counted over the scope (and
  over the span), never added up from lower levels.
- Shares: of the member enterprises now in the scope (active), and of the workers with an active account
  now employed there.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select, union_all

from core.l10n import lazy_gettext as _l
from models import Enterprise, User, db
from models.accounts import INDUSTRIES
from models.competitions import CONFIRMED, DRAFT, Competition, CompetitionRegistration, CompetitionTeamMember
from models.mentorship import MentorPair
from models.proposals import WITHDRAWN, Proposal, ProposalAuthor
from models.titles import NOMINATION_WITHDRAWN, Nomination
from services.report import scope as scopes
from services.report import training
from services.report.figures import ENTERPRISES, PEOPLE, Figure, Section, Series
from services.report.periods import Span, within, year_of


def _proposals(scope, span):
    return (select(year_of(Proposal.submitted_at, span).label("year"), ProposalAuthor.user_id.label("person"),
                   Proposal.enterprise_id.label("enterprise"))
            .join(ProposalAuthor, ProposalAuthor.proposal_id == Proposal.id)
            .where(Proposal.origin_id.is_(None), Proposal.status.not_in(("draft", WITHDRAWN)),
                   within(Proposal.submitted_at, span),
                   scopes.records(scope, Proposal.enterprise_id, at=Proposal.submitted_at)))


def _competitors(scope, span):
    base = (CompetitionRegistration.status == CONFIRMED, Competition.status != DRAFT,
            within(Competition.held_on, span, dates=True),
            scopes.records(scope, CompetitionRegistration.enterprise_id, at=CompetitionRegistration.created_at))
    year = year_of(Competition.held_on, span, dates=True).label("year")
    individual = (select(year, CompetitionRegistration.worker_id.label("person"),
                         CompetitionRegistration.enterprise_id.label("enterprise"))
                  .join(Competition, Competition.id == CompetitionRegistration.competition_id)
                  .where(Competition.is_team.is_(False), *base))
    team = (select(year, CompetitionTeamMember.worker_id.label("person"),
                   CompetitionRegistration.enterprise_id.label("enterprise"))
            .join(CompetitionRegistration, CompetitionRegistration.id == CompetitionTeamMember.registration_id)
            .join(Competition, Competition.id == CompetitionRegistration.competition_id)
            .where(Competition.is_team.is_(True), *base))
    return individual, team


def _pairs(scope, span):
    where = (within(MentorPair.activated_on, span, dates=True),
             scopes.records(scope, MentorPair.enterprise_id, at=MentorPair.created_at))
    year = year_of(MentorPair.activated_on, span, dates=True).label("year")
    enterprise = MentorPair.enterprise_id.label("enterprise")
    return (select(year, MentorPair.mentor_id.label("person"), enterprise).where(*where),
            select(year, MentorPair.apprentice_id.label("person"), enterprise).where(*where))


def _nominations(scope, span):
    return (select(year_of(Nomination.created_at, span).label("year"), Nomination.worker_id.label("person"),
                   Nomination.enterprise_id.label("enterprise"))
            .where(Nomination.status != NOMINATION_WITHDRAWN, within(Nomination.created_at, span),
                   scopes.records(scope, Nomination.enterprise_id, at=Nomination.created_at)))


# Each part: (scope, span) -> selects of (year, person, enterprise).
PARTS = [
    lambda scope, span: (_proposals(scope, span),),
    _competitors,
    _pairs,
    lambda scope, span: (_nominations(scope, span),),
    training.participants,
]


def section(scope, span: Span) -> Section:
    """Participation of `scope` over `span`: distinct people and enterprises per year and over the span,
    and their shares of the scope's members now, and by industry in the last year (five queries; four for
    a single year)."""
    wide = span.with_previous
    records = union_all(*(stmt for part in PARTS for stmt in part(scope, wide))).subquery()
    per_year = db.session.execute(
        select(records.c.year, func.count(func.distinct(records.c.person)),
               func.count(func.distinct(records.c.enterprise)))
        .where(records.c.year.is_not(None)).group_by(records.c.year)).all()
    people = {year: n for year, n, _ in per_year}
    enterprises = {year: n for year, _, n in per_year}
    if span.first == span.last:  # one year: its distinct counts are the span's (one union scan, not two)
        total_people, total_enterprises = people.get(span.first, 0), enterprises.get(span.first, 0)
    else:
        total_people, total_enterprises = db.session.execute(
            select(func.count(func.distinct(records.c.person)), func.count(func.distinct(records.c.enterprise)))
            .where(records.c.year.between(span.first, span.last))).one()
    members = db.session.scalar(select(func.count()).select_from(Enterprise).where(
        Enterprise.is_active.is_(True), scopes.enterprises(scope)))
    workers = db.session.scalar(select(func.count()).select_from(User).where(
        User.is_active.is_(True), User.enterprise_id.in_(select(Enterprise.id).where(scopes.enterprises(scope)))))
    result = Section("participation", _l("参与面"))
    result.figures.append(Figure("people", _l("参与职工"), _l(
        "当年参与五小提案、技能竞赛、名师带徒、技能培训或称号推荐中任意一项的职工人数（去重）。"), PEOPLE,
        people, total_people))
    result.figures.append(Figure("enterprises", _l("参与企业"), _l(
        "当年有职工参与上述任意一项的企业数（去重，按记录产生时所在企业）。"), ENTERPRISES, enterprises,
        total_enterprises))
    result.figures.append(Figure("people_share", _l("职工参与率（%）"), _l("参与职工占现有在职职工账号的比例。"),
                                 "percent", {y: _share(n, workers) for y, n in people.items()},
                                 _share(total_people, workers)))
    result.figures.append(Figure("enterprise_share", _l("企业参与率（%）"), _l("参与企业占现有会员企业的比例。"),
                                 "percent", {y: _share(n, members) for y, n in enterprises.items()},
                                 _share(total_enterprises, members)))
    result.series.extend(by_industry(records, span.last))
    return result


def by_industry(records, year: int) -> list[Series]:
    """Participating people and enterprises of `year` per industry (行业) of the enterprise each record was
    made from (`records`: the union of PARTS; one query). A person whose records came from enterprises of
    two industries counts in both; most people first."""
    rows = db.session.execute(
        select(Enterprise.industry, func.count(func.distinct(records.c.person)),
               func.count(func.distinct(records.c.enterprise)))
        .join(Enterprise, Enterprise.id == records.c.enterprise).where(records.c.year == year)
        .group_by(Enterprise.industry)).all()
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    labels = [INDUSTRIES.get(code, code) for code, _people, _enterprises in rows]
    return [
        Series("people_by_industry", _l("%(year)s年各行业参与职工（人，按记录产生时所在企业的行业）", year=year),
               PEOPLE, [(label, row[1]) for label, row in zip(labels, rows, strict=True)]),
        Series("enterprises_by_industry", _l("%(year)s年各行业参与企业（家）", year=year), ENTERPRISES,
               [(label, row[2]) for label, row in zip(labels, rows, strict=True)]),
    ]


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


