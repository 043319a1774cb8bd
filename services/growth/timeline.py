"""The worker's growth record (成长档案): one time line across every part of the platform.

docs/domain.md ("The worker's growth record"): in time order, skill levels, mentor pairs (as
mentor and as apprentice), proposals and their outcomes, competition results, titles
(craftsman titles and excellent mentor pairs) and training programmes (each enrolment, under every
employer, with its hours attended and outcome: completed with its certificate, not completed, in
progress). Who may see it is services.growth.policy.can_view; the view
loads the worker with services.accounts.people.get_worker (NotFound for anyone else).
The page costs a fixed number of queries whatever the length of the history: the sections of plain dated
rows (skill levels, education upgrades, title awards, excellent pairs, higher results, top achievements)
and the header's trade are one UNION ALL (services.growth.records, which also gives the page its title
badges: `record`); competitions, mentor pairs, training and proposals are one query each. All are kept
statements (built once per process with the worker's id as a bind parameter, here WORKER:
core.statements.shared_statement), as building them cost more CPU than running them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Town, Trade, User, db
from models.competitions import CompetitionCertificate
from models.honours import HIGHER_PRIZE_LABELS
from models.mentorship import (
    GRADE_LABELS,
    Assessment,
    MentorPair,
)
from models.mentorship import STATUS_LABELS as PAIR_STATUS_LABELS
from models.owners import owner_name_of
from models.proposals import (
    DRAFT,
    OWNER_LEVEL_LABELS,
    PROPOSAL_STATUS_LABELS,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAuthor,
)
from models.skills import REASON_LABELS as SKILL_REASON_LABELS
from models.skills import level as skill_level
from models.training import CONFIRMED as ENROLMENT_CONFIRMED
from models.training import PROGRAMME_KINDS, TrainingAttendance, TrainingEnrolment, TrainingProgramme
from models.vocabulary import LEVEL_LABELS, TRADE_LABELS, education_label, prize_label, reference_label
from services.common.rows import PlainRow
from services.common.verification import grouped
from services.competitions.results import final_placings_stmt
from services.growth.records import Records, records_of
from services.proposals.policy import visible_clause
from services.training import outcomes
from services.training.completion import not_completed_reason


@dataclass(frozen=True)
class Event:
    """One step of the time line: its date (Asia/Shanghai), kind, title, detail and status label."""

    on: date
    kind: str  # skill, title, proposal, competition, mentor, apprentice, higher (a result above the city),
    # education (an education upgrade, services.training.upgrades), training (a programme, services.training)
    title: str
    detail: str
    status: str | None = None
    certificate: str | None = None  # the certificate's printed number or code (a line of its own)
    # where the certificate is downloaded: (endpoint, values) for url_for, None when there is no link
    certificate_link: tuple[str, dict] | None = None
    code: str | None = None  # the verification code as printed inside `certificate` (pages mark it translate="no")


@dataclass(frozen=True)
class GrowthRecord:
    """What the growth record's page shows: the trade's label ("" without one), the titles (badges:
    services.growth.records.HeldTitle, oldest first) and the time line (Event, oldest first)."""

    trade: str
    titles: list
    events: list[Event]


def record(worker: User, viewer=None) -> GrowthRecord:
    """The worker's growth record as `viewer` may see it (timeline's rules); the trade and the titles come
    with the records' statement (services.growth.records), so the page reads no relationship."""
    records = records_of(worker.id)
    trade = str(reference_label(TRADE_LABELS, records.trade_name)) if records.trade_name else ""
    return GrowthRecord(trade, records.titles, _events(worker, viewer, records))


def timeline(worker: User, viewer=None) -> list[Event]:
    """Every recorded step of the worker's growth, oldest first (ties: by kind).

    With `viewer`, proposals are those the viewer may open (services.proposals.policy.visible_clause):
    HR of a later employer sees the published results of an earlier employer's proposals, never its
    internal screening outcomes (issue 13: records made at A stay A's).
    """
    return _events(worker, viewer, records_of(worker.id))


def _events(worker: User, viewer, records: Records) -> list[Event]:
    events = [*_skill_levels(records.skill_levels), *_titles(records.titles), *_competitions(worker),
              *_mentor_pairs(worker), *_excellent_pairs(records.excellent_pairs),
              *_higher_results(records.higher_results), *_education_upgrades(records.education_upgrades),
              *_training(worker), *_top_ten(records.top_achievements),
              *_proposals(worker, viewer)]
    return sorted(events, key=lambda e: (e.on, e.kind))


# The worker's id in this module's kept statements.
WORKER = bindparam("growth_worker")


def _kept(name: str, build, worker: User):
    """The rows of section `name`'s statement for `worker` (`build()` once per process, with WORKER), run on
    the session's connection after a flush (no ORM result processing)."""
    return db.session.flush() or db.session.connection().execute(shared_statement(("growth." + name,), build),
                                                                 {WORKER.key: worker.id})


def _skill_levels(changes):
    """The worker's skill level changes."""
    for effective_date, level, reason, certificate_no, issuing_body, _id in changes:
        detail = str(SKILL_REASON_LABELS.get(reason, reason))
        if certificate_no:
            detail += f" · {certificate_no} · {issuing_body or ''}"
        yield Event(effective_date, "skill", str(skill_level(level)), detail)


def _titles(titles):
    """The worker's title awards (HeldTitle)."""
    for held in titles:
        detail = f"{held.certificate_no}"
        if held.revoked_reason:
            detail += f" · {held.revoked_reason}"
        yield Event(held.award_date, "title", str(held.label), detail, str(held.status_label))


def _proposals(worker: User, viewer=None):
    """Each entry of each proposal: the original and every level it was recommended to (推荐上报), each
    with its own level, campaign, rank and prize; with `viewer`, only the entries the viewer may open.
    Plain columns (not the proposals' texts)."""
    stmt = shared_statement(("growth.proposals",), lambda: (
        db.select(Proposal.title, Proposal.status, Proposal.recommended_at, Proposal.submitted_at,
                  Proposal.created_at, Proposal.recommended_from_id, Proposal.rank, Proposal.prize,
                  Campaign.name.label("campaign_name"), Campaign.owner_level, ProposalAuthor.share)
        .join(ProposalAuthor, ProposalAuthor.proposal_id == Proposal.id)
        .join(Campaign, Campaign.id == Proposal.campaign_id)
        .where(ProposalAuthor.user_id == WORKER, Proposal.status.not_in((DRAFT, WITHDRAWN)))))
    if viewer is not None and viewer.id != worker.id:  # an author sees every proposal of their own
        # the condition on the listed rows themselves: as `id IN (every visible proposal)` it gathered
        # all the city's published proposals first (3.8 ms at 5,500 proposals, growing with the city's)
        stmt = stmt.where(visible_clause(viewer))
    for row in db.session.flush() or db.session.connection().execute(stmt, {WORKER.key: worker.id}):
        on = (row.recommended_at or row.submitted_at or row.created_at).astimezone(clock.SHANGHAI).date()
        detail = f"{OWNER_LEVEL_LABELS.get(row.owner_level, row.owner_level)} · {row.campaign_name} · "
        if row.recommended_from_id:
            detail += str(_l("推荐上报")) + " · "
        detail += str(_l("贡献 %(share)d%%", share=row.share))
        if row.rank:
            detail += " · " + str(_l("第 %(rank)d 名", rank=row.rank))
        if row.prize:
            detail += f" · {prize_label(row.prize)}"
        yield Event(on, "proposal", row.title, detail, str(PROPOSAL_STATUS_LABELS.get(row.status, row.status)))


def _higher_results(honours):
    """Results from levels above the city (services.honours.results), as a competitor or an author."""
    for honour in honours:
        prize = HIGHER_PRIZE_LABELS.get(honour.prize, honour.prize)
        detail = f"{LEVEL_LABELS.get(honour.level, honour.level)} · {prize}"
        if honour.proposal_title:
            detail += f" · {honour.proposal_title}"
        yield Event(honour.on, "higher", honour.contest, detail)


def _top_ten(achievements):
    """The city's top ten innovation achievements among the worker's proposals (as an author of the
    original: services.proposals.achievements.honours_of), shown as an honour on the day it was designated."""
    for designated_at, year, position, title in achievements:
        yield Event(designated_at.astimezone(clock.SHANGHAI).date(), "title",
                    str(_l("入选全市十大创新成果（%(year)s年）", year=year)),
                    f"{title} · " + str(_l("第 %(rank)d 名", rank=position)))


def _competitions(worker: User):
    """Final placings, each with the worker's own certificate (its printed code, or 已撤销 and the date)."""
    def build():
        placings = final_placings_stmt([WORKER]).subquery()
        certificate = CompetitionCertificate
        return (db.select(placings, certificate.code, certificate.revoked_at)
                .outerjoin(certificate, (certificate.registration_id == placings.c.registration_id)
                           & (certificate.worker_id == WORKER)))

    for row in _kept("competitions", build, worker):
        detail = str(_l("第 %(rank)d 名 · 总分 %(total)s", rank=row.rank, total=row.total))
        if row.prize:
            detail += f" · {prize_label(row.prize)}"
        certificate, code = None, None
        if row.code:
            code = grouped(row.code)
            certificate = str(_l("证书编号 %(code)s", code=code))
            if row.revoked_at:
                revoked_on = row.revoked_at.astimezone(clock.SHANGHAI).date().isoformat()
                certificate += " · " + str(_l("已于 %(day)s 撤销", day=revoked_on))
        yield Event(row.held_on, "competition", row.name, detail, certificate=certificate, code=code)


def _mentor_pairs(worker: User):
    """Each pair as mentor or apprentice: the other's name, the trade, the final assessment's grade, the
    status; plain columns."""
    def name_of(person_id):
        return db.select(User.name).where(User.id == person_id).scalar_subquery()

    pairs = _kept("mentor_pairs", lambda: (
        db.select(MentorPair.mentor_id, MentorPair.start_date, MentorPair.status,
                  name_of(MentorPair.mentor_id).label("mentor_name"),
                  name_of(MentorPair.apprentice_id).label("apprentice_name"), Trade.name.label("trade_name"),
                  Assessment.grade)
        .outerjoin(Trade, Trade.id == MentorPair.trade_id).outerjoin(Assessment, Assessment.pair_id == MentorPair.id)
        .where((MentorPair.mentor_id == WORKER) | (MentorPair.apprentice_id == WORKER))), worker)
    for pair in pairs:
        detail = str(reference_label(TRADE_LABELS, pair.trade_name))
        if pair.grade is not None:
            detail += " · " + str(_l("出师考核：%(grade)s", grade=GRADE_LABELS.get(pair.grade, pair.grade)))
        status = str(PAIR_STATUS_LABELS.get(pair.status, pair.status))
        if pair.mentor_id == worker.id:
            title = str(_l("带徒：%(name)s", name=pair.apprentice_name))
            yield Event(pair.start_date, "mentor", title, detail, status)
        else:
            title = str(_l("拜师：%(name)s", name=pair.mentor_name))
            yield Event(pair.start_date, "apprentice", title, detail, status)


def _excellent_pairs(honoured):
    """Excellent-pair honours (优秀师徒) of the worker's pairs, once their notice is final; a revoked
    one stays on the record, marked 已撤销 with its date."""
    for year, finalised_at, revoked_at in honoured:
        on = finalised_at.astimezone(clock.SHANGHAI).date() if finalised_at else date(year, 12, 31)
        if revoked_at is None:
            yield Event(on, "title", str(_l("%(year)d 年优秀师徒", year=year)), "")
        else:
            revoked_on = revoked_at.astimezone(clock.SHANGHAI).date().isoformat()
            yield Event(on, "title", str(_l("%(year)d 年优秀师徒", year=year)),
                        str(_l("已于 %(day)s 撤销", day=revoked_on)), str(_l("已撤销")))


def _education_upgrades(upgrades):
    """Education upgrades (学历提升, services.training.upgrades: `upgrades_of`, oldest first) by graduation
    day, with the school and the programme that led to it."""
    for graduated_on, school, education, programme_name, _id in upgrades:
        detail = school
        if programme_name is not None:
            detail += " · " + str(_l("培训项目：%(name)s", name=programme_name))
        yield Event(graduated_on, "education", str(_l("学历提升：%(level)s", level=education_label(education))),
                    detail)


def _training_stmt():
    E, P = TrainingEnrolment, TrainingProgramme
    hours = (db.select(db.func.sum(TrainingAttendance.hours))
             .where(TrainingAttendance.programme_id == E.programme_id,
                    TrainingAttendance.worker_id == WORKER).correlate(E).scalar_subquery())
    return (db.select(E.id, E.status, E.completed_at, E.reason, E.certificate_code, E.certificate_revoked_at, P.name,
                      P.kind, P.starts_on, P.status, P.owner_level,
                      db.select(Enterprise.name).where(Enterprise.id == P.owner_enterprise_id).correlate(P)
                      .scalar_subquery(),
                      db.select(Town.name).where(Town.id == P.owner_town_id).correlate(P).scalar_subquery(),
                      hours, outcomes.first_class_start_of(E.programme_id))
            .join(P, P.id == E.programme_id)
            .where(E.worker_id == WORKER, E.status == ENROLMENT_CONFIRMED))


class _Enrolment(PlainRow):
    """A confirmed enrolment of the time line with its programme, as plain columns (services.common.rows)."""

    __slots__ = ("id", "status", "completed_at", "reason", "certificate_code", "certificate_revoked_at", "name",
                 "kind", "starts_on", "programme_status", "owner_level", "owner_enterprise_name", "owner_town_name",
                 "attended", "first_start")


def _training(worker: User):
    """Each programme the worker is (or was) enrolled in and confirmed, under any employer, dated by its
    start: hours attended and the outcome (services.training.outcomes: completed with the certificate and
    its download, revoked with the date; not completed once the programme finished, with the reason; not
    started before its first class; in progress between); a cancelled programme is left out. One query of
    plain columns (the owner's name read through its key)."""
    for enrolment in (_Enrolment(*row) for row in _kept("training", _training_stmt, worker)):
        key = outcomes.outcome_of(enrolment.status, enrolment.completed_at, enrolment.programme_status,
                                  enrolment.starts_on, enrolment.first_start)
        if key is None:  # a cancelled programme
            continue
        owner = owner_name_of(enrolment.owner_level, enrolment.owner_enterprise_name, enrolment.owner_town_name)
        detail = f"{PROGRAMME_KINDS.get(enrolment.kind, enrolment.kind)} · {owner} · " + str(
            _l("已完成 %(hours)s 学时", hours=str(enrolment.attended or "0.0")))
        certificate, link, code = None, None, None
        status = outcomes.OUTCOME_LABELS[key]
        if key == outcomes.COMPLETED:
            code = grouped(enrolment.certificate_code)
            certificate = str(_l("结业证书编号 %(code)s", code=code))
            if enrolment.certificate_revoked_at:
                revoked_on = enrolment.certificate_revoked_at.astimezone(clock.SHANGHAI).date().isoformat()
                certificate += " · " + str(_l("已于 %(day)s 撤销", day=revoked_on))
            else:
                link = ("training.certificate_pdf", {"enrolment_id": enrolment.id})
        elif key == outcomes.NOT_COMPLETED and enrolment.reason:
            detail += f" · {not_completed_reason(enrolment)}"
        yield Event(enrolment.starts_on, "training", enrolment.name, detail, str(status), certificate, link, code)
