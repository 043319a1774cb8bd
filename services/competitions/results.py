"""Results of a competition: sign-off (marks frozen, results stored ranked with prizes), public
notice (公示), reopening after an upheld objection, final results (certificates and promotion
recommendations), the public results page, and final placings as evidence for other parts.

Rules (docs/domain.md, Skills competitions; Rules shared by every part: public notice, scoring):
- A judge's practical score = sum(item weight x mark / 100); the final practical mark is the trimmed
  mean over judges (5 or more: drop one highest and one lowest); total = theory x theory weight / 100
  + practical x practical weight / 100 (services.common.scoring). Rounding order: each judge's score
  and the practical mark are rounded half-up to two decimals FIRST, then the total from the rounded
  practical mark, rounded again (stated on the results pages: templates/_macros/rules.html).
  Sign-off needs a theory mark and at least the minimum number of complete judges for every
  confirmed competitor; a spread between judges above DISAGREEMENT_SPREAD points is flagged and must be acknowledged.
- Ranking: total descending, ties broken by the practical mark, still equal = shared rank (RANK(),
  "1224"). Prizes (codes of models.vocabulary.PRIZES) follow the prize table by rank. A tie across a
  tier's last place gives every tied competitor that prize; the next competitor's rank skips the shared
  places, so the following tier has fewer winners (templates/_macros/rules.html). Score lines, ranks,
  positions and prizes are computed and stored by services.competitions.standings at sign-off, in its
  transaction; pages of the ranking are ranges of stored positions.
- Results are published for public notice (services.common.notices). An upheld objection lets the
  admin reopen scoring: the stored results follow every corrected mark at once (ranks included) and
  the next sign-off rewrites them; the corrected results are then noticed again for a full period (same notice,
  its objections kept). Results become final when the notice is finalised: then every competitor
  (each team member) gets a certificate and the top N are recommended for one level up.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select, union

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import (
    FINAL,
    NOTICE_SUBJECT,
    NOTICED,
    SCORING,
    SIGNED_OFF,
    Competition,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
)
from models.notices import OBJECTION_UPHELD
from services.common import audit, notices
from services.competitions import certificates, events, promotions
from services.competitions import policy as competitions_policy
from services.competitions.judging import require_scoring
from services.competitions.policy import can_see_competition
from services.competitions.standings import (  # noqa: F401 - the score lines are part of this module's API
    DISAGREEMENT_SPREAD,
    ScoreLine,
    combine,
    judge_score,
    score_lines,
    store_results,
)
from services.errors import NotFound, RuleViolation


def _numbers(lines: list[ScoreLine]) -> str:
    return "、".join(ln.registration.number_label for ln in lines[:20])


def sign_off(actor, competition: Competition, acknowledge_flags: bool = False) -> None:
    """Freeze the marks: write every competitor's result, rank them and give prizes by the prize table.

    Raises NotAllowed (not an admin) or RuleViolation: not in scoring; a competitor without a theory
    mark or with fewer complete judges than min_judges; judges' spread above DISAGREEMENT_SPREAD not
    acknowledged (on acknowledge_flags).
    """
    competitions_policy.require_runner(actor, competition)
    require_scoring(competition)
    lines = score_lines(competition)
    incomplete = [ln for ln in lines if ln.problems]
    if incomplete:
        raise RuleViolation(_l("以下选手的成绩还不完整：%(numbers)s。", numbers=_numbers(incomplete)))
    flagged = [ln for ln in lines if ln.flagged]
    if flagged and not acknowledge_flags:
        raise RuleViolation(_l("以下选手的评委打分差异较大（超过 %(spread)s 分）：%(numbers)s。请核实后勾选确认。",
                               spread=DISAGREEMENT_SPREAD, numbers=_numbers(flagged)), field="acknowledge_flags")
    db.session.execute(delete(CompetitionResult).where(CompetitionResult.competition_id == competition.id))
    store_results(competition, lines)  # results, ranks, positions and prizes in this transaction
    competition.status = SIGNED_OFF
    competition.signed_off_at = clock.now()
    db.session.flush()
    audit.record("competition.status", actor=actor, obj=competition, old=SCORING, new=SIGNED_OFF,
                 results=len(lines), flagged=[ln.registration.competitor_no for ln in flagged])


def ranking(competition: Competition, *, prize_winners_only: bool = False):
    """The whole ranking as (CompetitionResult, rank) best first, in ONE query: total desc, then
    practical desc; equal on both = shared rank. Registration, worker and enterprise come along
    (joined), so rendering needs no more queries. `prize_winners_only`: the stored ranks of results
    with a prize. Empty while the results are not signed off (also while a reopening corrects them).
    For finalising and exports; pages read ranking_pages.ranking_page (a range of stored positions)."""
    if competition.status not in (SIGNED_OFF, NOTICED, FINAL):
        return []
    if prize_winners_only:  # ranks were stored at sign-off; filtering before RANK() would renumber
        rank = CompetitionResult.rank
    else:
        rank = func.rank().over(order_by=(CompetitionResult.total.desc(),
                                          CompetitionResult.practical.desc())).label("standing")
    stmt = (select(CompetitionResult, rank).join(CompetitionResult.registration)
            .where(CompetitionResult.competition_id == competition.id)
            .options(db.contains_eager(CompetitionResult.registration).joinedload(CompetitionRegistration.worker),
                     db.contains_eager(CompetitionResult.registration).joinedload(CompetitionRegistration.enterprise))
            .order_by(rank, CompetitionRegistration.competitor_no))
    if prize_winners_only:
        stmt = stmt.where(CompetitionResult.prize.is_not(None))
    return db.session.execute(stmt).all()


# --- notice and final results -------------------------------------------------------------------------


def notice_of(competition: Competition):
    """The public notice (公示) of the competition's results, if published."""
    return notices.notice_for(NOTICE_SUBJECT, competition.id)


def notice_with_objections(competition: Competition):
    """The notice of the competition's results (notice_of) and its objections in the order filed: one
    statement (services.common.notices.notice_with_objections)."""
    return notices.notice_with_objections(NOTICE_SUBJECT, competition.id)


def publish_results(actor, competition: Competition, working_days: int = notices.DEFAULT_WORKING_DAYS):
    """Publish the signed-off ranking for public notice (公示) of `working_days` working days; after a
    reopening the same notice runs again for a full period. Raises NotAllowed or RuleViolation."""
    competitions_policy.require_runner(actor, competition)
    if competition.status != SIGNED_OFF:
        raise RuleViolation(_l("成绩确认后才能公示。"))
    notice = notice_of(competition)
    if notice is None:
        notice = notices.publish(actor, NOTICE_SUBJECT, competition.id, f"{competition.name} 成绩公示", working_days)
    else:  # corrected results after an upheld objection: the same notice (and its objections) runs again
        old_end = notice.ends_at
        notices.run_from_now(notice, working_days)
        audit.record("notice.republished", actor=actor, obj=notice, old_end=old_end.isoformat(),
                     ends_at=notice.ends_at.isoformat())
    competition.status = NOTICED
    audit.record("competition.status", actor=actor, obj=competition, old=SIGNED_OFF, new=NOTICED)
    events.results_published(competition)
    return notice


def reopen_scoring(actor, competition: Competition, reason: str) -> None:
    """An upheld objection during the notice: results are withdrawn and marks can be corrected; the
    corrected results are published again for a full notice period. `reason` is required text.
    Raises NotAllowed or RuleViolation (not in notice, no reason, no upheld objection)."""
    competitions_policy.require_runner(actor, competition)
    if competition.status != NOTICED:
        raise RuleViolation(_l("只有公示中的成绩可以重新评分。"))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写重新评分的理由。"), field="reason")
    notice = notice_of(competition)
    if not any(o.status == OBJECTION_UPHELD for o in notice.objections):
        raise RuleViolation(_l("只有异议成立时才能重新评分。"))
    # The stored results stay and follow each corrected mark (standings.refresh_entry) until the
    # next sign-off rewrites them; no page shows them as results meanwhile.
    competition.status = SCORING
    competition.signed_off_at = None
    audit.record("competition.status", actor=actor, obj=competition, old=NOTICED, new=SCORING, reason=reason)


def _team_members(competition: Competition) -> dict[int, list[User]]:
    members = defaultdict(list)
    for member in db.session.scalars(
            select(CompetitionTeamMember).where(CompetitionTeamMember.competition_id == competition.id)
            .options(db.joinedload(CompetitionTeamMember.worker)).order_by(CompetitionTeamMember.id)):
        members[member.registration_id].append(member.worker)
    return members


def finalise_results(actor, competition: Competition) -> None:
    """After the notice: results final (the notice is finalised), a certificate for every competitor
    (each team member), the top N recommended for promotion. Raises NotAllowed or RuleViolation (not
    in notice; the notice's own rules, services.common.notices.finalise)."""
    competitions_policy.require_runner(actor, competition)
    if competition.status != NOTICED:
        raise RuleViolation(_l("成绩公示后才能确认最终结果。"))
    notices.finalise(actor, notice_of(competition))
    competition.status = FINAL
    team_members = _team_members(competition)
    for result, _rank in ranking(competition):
        registration = result.registration
        for holder in team_members.get(registration.id) or [registration.worker]:
            certificates.issue(registration, holder, with_prize=bool(result.prize))
            promotions.recommend(actor, competition, result, holder)
    db.session.flush()
    audit.record("competition.status", actor=actor, obj=competition, old=NOTICED, new=FINAL)
    events.certificates_ready(competition)


# --- public results and evidence for other parts ----------------------------------------------------


def public_competition(competition_id: int) -> Competition:
    """A competition whose results are public (noticed or final), for the page without login (its
    prize winners: ranking_pages.ranking_page(..., winners=True)); NotFound for any other, and for an
    enterprise's or a town's own competition (its results are for the people under its owner)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or competition.status not in (NOTICED, FINAL) or competition.owner_level != "city":
        raise NotFound(_l("找不到这个竞赛的公开结果。"))
    return competition


def public_results(competition_id: int) -> tuple[Competition, list]:
    """Prize winners of a final (or noticed) competition with their stored ranks, all of them
    (public_competition's rules)."""
    competition = public_competition(competition_id)
    return competition, ranking(competition, prize_winners_only=True)


def public_competitions() -> list[Competition]:
    """The 50 latest city competitions whose results are public (in notice or final)."""
    return list(db.session.scalars(select(Competition).where(Competition.status.in_((NOTICED, FINAL)),
                                                             Competition.owner_level == "city")
                                   .order_by(Competition.held_on.desc()).limit(50)))


def final_placings_stmt(worker_ids=None):
    """Final results per competitor, for titles, the growth record and mentor credits.

    One row per (worker, final result): worker_id, competition_id, name, level, held_on, rank, prize
    (a code of models.vocabulary.PRIZES or None: show PRIZE_LABELS[prize]), total, registration_id. A team's placing
    counts for every member of the team, not only the captain who entered it. Callers add their own
    WHERE (which dates); `worker_ids` (a list of ids or a select of them) picks the workers inside
    both halves of the union, so only their entries are read (an index lookup by worker, never every
    entry of every final competition).
    """
    entries = select(CompetitionRegistration.id.label("registration_id"),
                     CompetitionRegistration.worker_id.label("worker_id"))
    members = select(CompetitionTeamMember.registration_id, CompetitionTeamMember.worker_id)
    if worker_ids is not None:
        entries = entries.where(CompetitionRegistration.worker_id.in_(worker_ids))
        members = members.where(CompetitionTeamMember.worker_id.in_(worker_ids))
    entrants = union(entries, members).subquery("entrant")
    return (
        select(entrants.c.worker_id, Competition.id.label("competition_id"), Competition.name, Competition.level,
               Competition.held_on, CompetitionResult.rank, CompetitionResult.prize, CompetitionResult.total,
               entrants.c.registration_id)
        .select_from(entrants)
        .join(CompetitionResult, CompetitionResult.registration_id == entrants.c.registration_id)
        .join(Competition, Competition.id == CompetitionResult.competition_id)
        .where(Competition.status == FINAL, CompetitionResult.rank.is_not(None))
    )


# The objection flow (blueprints/notices) for a competition's results, filed on the competition's page.
notices.register_subject(NOTICE_SUBJECT, notices.NoticeSubject(
    can_see=notices.visible_if(Competition, can_see_competition),
    owned_by=notices.owned_ids(Competition),
    may_resolve=notices.visible_if(Competition, competitions_policy.can_run_competition),
    page=lambda competition_id: ("competitions.show", {"competition_id": competition_id}),
    filed=_l("异议已提交，主办方将核实处理。"), resolved=_l("异议已处理。")))
