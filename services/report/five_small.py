"""The Five Small (五小) part of the yearly report (issue 16).

Definitions (each shown on the page; docs/domain.md, "The yearly report"):
- A proposal belongs to the year it was first submitted (its original's submitted_at, Asia/Shanghai)
  and to the scope of the enterprise it was submitted from at that moment. A proposal recommended
  through several levels is ONE proposal (the original and its copies in higher campaigns share its
  identity), with its best outcome at any level.
- Collected: submitted proposals (drafts and withdrawn ones are not counted; returned and rejected ones
  are). Valid: passed screening (models.proposals.VALID_STATUSES) at its first level.
- Participants: person-times (人次: one per author of each proposal) and distinct people (人).
- Savings: the estimate of each valid proposal (元), and realised savings verified by finance (the
  largest verified amount of the proposal at any level).
- Adopted and implemented: at any level; implemented ones are counted among the adopted.
- Prizes: final results only (the campaign's 公示 is over), the proposal's best outcome (highest level,
  then better prize), counted by the level of the campaign that gave it and the grade.
- The city's top ten innovation achievements (全市十大创新成果, models/achievements.py): by the year they were
  designated for, each for the scope its original was submitted from; the last year's list (position,
  title, enterprise, authors, town, estimated savings, citation) stands under the figures (Section.items).
- Higher-level results (上级成绩, models/honours.py) with a prize: by the level and prize, in the year the
  result was announced, for the enterprise the result was recorded for.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from core.l10n import lazy_gettext as _l
from models import EnterpriseTownSpan, Town, db
from models.achievements import TopAchievement
from models.honours import HIGHER_LEVELS, HIGHER_PRIZE_LABELS, HigherResult
from models.proposals import (
    ADOPTED,
    DRAFT,
    IMPLEMENTED,
    VALID_STATUSES,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAuthor,
    RealisedSaving,
)
from models.vocabulary import LEVEL_LABELS, PRIZE_LABELS, TOWN_LABELS, reference_label
from services.proposals import achievements, reported
from services.report import scope as scopes
from services.report.figures import (
    COUNT,
    PEOPLE,
    PERSON_TIMES,
    YUAN,
    Breakdown,
    Figure,
    Listing,
    Section,
    Series,
    distinct,
    figure,
    figure_from,
    number,
    tally,
    tally_by,
)
from services.report.periods import Span, month_of, within, year_of

LEVEL_RANK, PRIZE_RANK = reported.LEVEL_RANK, reported.PRIZE_RANK
_same_proposal = reported.same_proposal


def _originals(scope):
    """Conditions on Proposal: originals submitted from the scope, neither draft nor withdrawn."""
    return (Proposal.origin_id.is_(None), Proposal.status.not_in((DRAFT, WITHDRAWN)),
            Proposal.submitted_at.is_not(None),
            scopes.records(scope, Proposal.enterprise_id, at=Proposal.submitted_at))


def section(scope, span: Span) -> Section:
    """The Five Small figures of `scope` over `span` (see the module's definitions)."""
    originals = _originals(scope)
    when = Proposal.submitted_at
    result = Section("five_small", _l("五小创新"))
    result.figures += [collected(scope, span), valid(scope, span)]
    result.figures.append(figure(
        "person_times", _l("参与人次"), _l("每件提案的每位作者计一人次。"),
        PERSON_TIMES, tally(span, when, func.count(), originals, source=_with_authors)))
    result.figures.append(people(scope, span))
    result.figures.append(figure(
        "estimated_savings", _l("预计年节约（元）"), _l("有效提案的预计年节约金额之和。"),
        YUAN, tally(span, when, func.coalesce(func.sum(Proposal.estimated_savings), 0),
                    (*originals, Proposal.status.in_(VALID_STATUSES)))))
    result.figures.extend(_chain_figures(scope, span))
    result.figures.append(top_ten(scope, span))
    result.items.append(top_ten_list(scope, span.last))
    result.breakdowns.append(_prizes(scope, span))
    result.breakdowns.append(_higher(scope, span))
    result.series.extend(_by_month(scope, span.last))
    if scope.kind != scopes.ENTERPRISE:
        result.series.append(_by_town(scope, span.last))
    return result


def collected(scope, span: Span) -> Figure:
    """Proposals collected (one query)."""
    return figure("collected", _l("征集提案"),
                  _l("当年首次提交的提案数（不含草稿和已撤回的；推荐到上级的同一提案只计一次）。"),
                  COUNT, tally(span, Proposal.submitted_at, func.count(), _originals(scope)))


def valid(scope, span: Span) -> Figure:
    """Valid proposals (one query)."""
    return figure("valid", _l("有效提案"), _l("通过初审的提案数（按首次提交的年份）。"), COUNT,
                  tally(span, Proposal.submitted_at, func.count(),
                        (*_originals(scope), Proposal.status.in_(VALID_STATUSES))))


def _with_authors(stmt):
    return stmt.select_from(Proposal).join(ProposalAuthor, ProposalAuthor.proposal_id == Proposal.id)


def people(scope, span: Span) -> Figure:
    """Distinct authors (one query per year and one over the span; one in all for a single year)."""
    return figure("people", _l("参与人数"), _l("提案作者去重后的人数；跨年合计同样去重。"), PEOPLE,
                  tally(span, Proposal.submitted_at, distinct(ProposalAuthor.user_id), _originals(scope),
                        source=_with_authors, distinct_total=distinct(ProposalAuthor.user_id)))


def _by_month(scope, year: int) -> list[Series]:
    """Proposals collected and valid savings estimated per month of `year` (one query)."""
    month = month_of(Proposal.submitted_at, year)
    rows = {m: (n, saved) for m, n, saved in db.session.execute(
        select(month, func.count(), func.coalesce(func.sum(case(
            (Proposal.status.in_(VALID_STATUSES), Proposal.estimated_savings), else_=0)), 0))
        .where(*_originals(scope), within(Proposal.submitted_at, Span(year, year))).group_by(month))}
    labels = [_l("%(month)s月", month=m) for m in range(1, 13)]
    return [
        Series("collected_by_month", _l("%(year)s年各月征集提案", year=year), COUNT,
               [(labels[m - 1], rows.get(m, (0, 0))[0]) for m in range(1, 13)]),
        Series("savings_by_month", _l("%(year)s年各月有效提案预计年节约（元）", year=year), YUAN,
               [(labels[m - 1], number(rows.get(m, (0, 0))[1])) for m in range(1, 13)]),
    ]


def _by_town(scope, year: int) -> Series:
    """Proposals collected in `year` per town, by the town the enterprise was in when it was submitted
    (one query over the enterprises' town history)."""
    span = aliased(EnterpriseTownSpan)  # town_condition's own subquery must not correlate with it
    rows = db.session.execute(
        select(Town.id, Town.name, func.count())
        .select_from(Proposal)
        .join(span, and_(span.enterprise_id == Proposal.enterprise_id, span.valid_from <= Proposal.submitted_at,
                         or_(span.valid_to.is_(None), span.valid_to > Proposal.submitted_at)))
        .join(Town, Town.id == span.town_id)
        .where(*_originals(scope), within(Proposal.submitted_at, Span(year, year)))
        .group_by(Town.id, Town.name).order_by(func.count().desc(), Town.name)).all()
    return Series("collected_by_town", _l("%(year)s年各镇（街道）征集提案", year=year), COUNT,
                  [(reference_label(TOWN_LABELS, name), n) for _id, name, n in rows], drill="collected",
                  scopes=[{"town": town_id} for town_id, _name, _n in rows])


def _chain(scope):
    """(original, copy) aliases and the join of every level of each original's chain (itself included)."""
    original = aliased(Proposal)
    level = aliased(Proposal)
    conditions = (original.origin_id.is_(None), original.status.not_in((DRAFT, WITHDRAWN)),
                  original.submitted_at.is_not(None),
                  scopes.records(scope, original.enterprise_id, at=original.submitted_at))
    return original, level, conditions


def _chain_figures(scope, span: Span) -> list[Figure]:
    """Adopted, implemented and verified savings: the best of every level of each proposal."""
    original, level, conditions = _chain(scope)
    wide = span.with_previous
    adoption = case((level.status == IMPLEMENTED, 2), (level.status == ADOPTED, 1), else_=0)
    per_proposal = (select(year_of(original.submitted_at, wide).label("year"),
                           func.max(adoption).label("adoption"),
                           func.max(RealisedSaving.amount).label("verified"))
                    .select_from(original)
                    .join(level, _same_proposal(level, original))
                    .outerjoin(RealisedSaving, and_(RealisedSaving.proposal_id == level.id,
                                                    RealisedSaving.verified_at.is_not(None)))
                    .where(*conditions, within(original.submitted_at, wide))
                    .group_by(original.id, original.submitted_at).subquery())
    rows = db.session.execute(select(
        per_proposal.c.year, func.count(case((per_proposal.c.adoption >= 1, 1))),
        func.count(case((per_proposal.c.adoption == 2, 1))),
        func.coalesce(func.sum(per_proposal.c.verified), 0)).group_by(per_proposal.c.year)).all()
    adopted = {r[0]: r[1] for r in rows if r[0] is not None}
    implemented = {r[0]: r[2] for r in rows if r[0] is not None}
    verified = {r[0]: r[3] for r in rows if r[0] is not None}
    return [
        figure_from("adopted", _l("采纳提案"), _l("在任一级被采纳（含已实施）的提案数。"), COUNT, adopted, span),
        figure_from("implemented", _l("实施提案"), _l("在任一级已实施的提案数。"), COUNT, implemented, span),
        figure_from("verified_savings", _l("核实年节约（元）"),
                    _l("经财务核实的实际节约金额（同一提案取各级中的最大核实额）。"), YUAN, verified, span),
    ]


def _prizes(scope, span: Span) -> Breakdown:
    """Final prizes by level and grade, each proposal once with its best outcome (one query)."""
    original, level, conditions = _chain(scope)
    wide = span.with_previous
    # the rule the list behind each row applies too (services.proposals.reported.best_outcome)
    best = (select(year_of(original.submitted_at, wide).label("year"),
                   func.max(reported.outcome(level, Campaign)).label("best"))
            .select_from(original)
            .join(level, _same_proposal(level, original))
            .join(Campaign, Campaign.id == level.campaign_id)
            .where(*conditions, within(original.submitted_at, wide), *reported.prized(level, Campaign))
            .group_by(original.id, original.submitted_at).subquery())
    counts: dict[int, dict[int, int]] = {}
    for year, value, n in db.session.execute(
            select(best.c.year, best.c.best, func.count()).group_by(best.c.year, best.c.best)):
        if year is not None:
            counts.setdefault(value, {})[year] = n
    breakdown = Breakdown("prizes", _l("获奖提案（按级别和等次）"),
                          _l("结果公示期满后确定的奖项；同一提案在多级获奖时只按最高一级计一次。"))
    for lv, lv_rank in sorted(LEVEL_RANK.items(), key=lambda item: -item[1]):
        for code, prize_rank in PRIZE_RANK.items():
            values = counts.get(lv_rank * 10 + prize_rank, {})
            if values:
                breakdown.rows.append(((LEVEL_LABELS[lv], PRIZE_LABELS[code]),
                                       figure_from(f"prize.{lv}.{code}", PRIZE_LABELS[code], "", COUNT, values, span)))
    return breakdown


def _higher(scope, span: Span) -> Breakdown:
    """Results above the city with a prize, by level and prize, in the year announced (one query)."""
    counted = tally_by(span, HigherResult.result_on, (HigherResult.level, HigherResult.prize), func.count(),
                       (HigherResult.proposal_id.is_not(None), HigherResult.prize.is_not(None),
                        HigherResult.prize != "none",
                        scopes.records(scope, HigherResult.enterprise_id, at=HigherResult.recorded_at)), dates=True)
    breakdown = Breakdown("higher", _l("上级成绩（地市级及以上获奖）"),
                          _l("推荐到泉州市、福建省、全国及国际比赛后取得的奖项，按公布结果的年份统计。"))
    prize_order = list(HIGHER_PRIZE_LABELS)
    for (lv, prize), values in sorted(counted.items(), key=lambda item: (
            -HIGHER_LEVELS.index(item[0][0]) if item[0][0] in HIGHER_LEVELS else 0,
            prize_order.index(item[0][1]) if item[0][1] in prize_order else 99)):
        breakdown.rows.append(((LEVEL_LABELS.get(lv, lv), HIGHER_PRIZE_LABELS.get(prize, prize)),
                               figure_from(f"higher.{lv}.{prize}", HIGHER_PRIZE_LABELS.get(prize, prize), "",
                                           COUNT, values, span)))
    return breakdown


def top_ten(scope, span: Span) -> Figure:
    """The city's top ten innovation achievements (models/achievements.py) by the year they were designated
    for, each counted for the scope its original proposal was submitted from (one query)."""
    wide = span.with_previous
    rows = db.session.execute(
        select(TopAchievement.year, func.count()).join(Proposal, Proposal.id == TopAchievement.proposal_id)
        .where(TopAchievement.year.between(wide.first, wide.last),
               scopes.records(scope, Proposal.enterprise_id, at=Proposal.submitted_at))
        .group_by(TopAchievement.year))
    return figure_from("top_ten", _l("全市十大创新成果"),
                       _l("总工会评选的全市十大创新成果（按评选年份；计入提案首次提交时所在的企业和镇街）。"),
                       COUNT, dict(rows.all()), span)


def top_ten_list(scope, year: int) -> Listing:
    """The top ten innovation achievements of `year` that count for the scope, in position order."""
    listing = Listing("top_ten", _l("%(year)s年全市十大创新成果", year=year),
                      _l("总工会评选，按名次排列；只列入提案首次提交时属于本范围的成果。"),
                      [_l("名次"), _l("成果"), _l("企业"), _l("作者"), _l("镇（街道）"), _l("预计年节约（元）"),
                       _l("评语")])
    counts = scopes.records(scope, Proposal.enterprise_id, at=Proposal.submitted_at)
    for row in achievements.year_list(year, (counts,)):
        listing.rows.append((row.achievement.position, row.title, row.enterprise, str(_l("、")).join(row.authors),
                             str(row.town), row.estimated_savings, row.achievement.citation or ""))
    return listing


# What the list behind each figure sums up (services.proposals.reported.summary): stage -> (figure of its
# proposals, {summary key: figure}); "prize" reads its breakdown row, "verified_savings" has no figure of its
# proposals (the figure is an amount), so its list counts for itself.
_SUMMARIES = {
    None: ("collected", {}), "collected": ("collected", {}), "valid": ("valid", {}), "adopted": ("adopted", {}),
    "implemented": ("implemented", {}),
    "person_times": ("collected", {"person_times": "person_times", "people": "people"}),
    "people": ("collected", {"person_times": "person_times", "people": "people"}),
    "estimated_savings": ("valid", {"amount": "estimated_savings"}),
}


def summary_of(part: Section, span: Span, stage: str | None, prize_level: str | None = None,
               prize: str | None = None) -> dict | None:
    """services.proposals.reported.summary of the list behind a figure, read from this part's figures
    (`part`: the Five Small section of the list's scope over `span`; one year: the year's value, a span:
    its total, distinct people over the span counted once as the figure does). None for a stage whose
    summary no figure holds ("verified_savings"). No query."""
    def value(fig: Figure | None):
        return fig.over(span) if fig is not None else 0

    if stage == "prize":
        key = f"prize.{prize_level}.{prize}"
        rows = next((b.rows for b in part.breakdowns if b.key == "prizes"), [])
        return {"proposals": value(next((fig for _label, fig in rows if fig.key == key), None))}
    if stage not in _SUMMARIES:
        return None
    counted, extra = _SUMMARIES[stage]
    return {"proposals": value(part.figure(counted)), **{name: value(part.figure(key)) for name, key in extra.items()}}
