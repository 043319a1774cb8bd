"""Recommendations to levels above the city and their results (issue 14, "Recommendation upward").

Rules (docs/domain.md, "Recommendation upward" and "Titles"):
- Only union administrators (the city) record a recommendation to a higher level and enter its result.
- A recommendation names a level above the city (HIGHER_LEVELS), a contest (2-100 characters, e.g.
  "2026年福建省职工五小创新成果评选"), the day it was made (not in the future), and its subject: a
  proposal that passed screening (one of VALID_STATUSES; usually its entry in a city campaign) or a
  competitor (an active worker of an enterprise). The same subject is recommended to one contest once.
- A result names a prize (HIGHER_PRIZE_LABELS; "none" for taking part without one), the day it was
  announced (not before the recommendation, not in the future) and an evidence file (a photo or PDF
  of the certificate or the published list): the database refuses a prize without both. A result may
  be corrected by entering it again; every change is audited.
- Who sees a record: union admins every one, HR those of its enterprise (the enterprise of the proposal or
  the competitor when recommended); the people concerned see theirs in their growth record. Anyone
  else: NotFound (404).
- A result counts in the growth record (services.growth.timeline), as title evidence
  (services.titles.evidence: `higher_results`) and in the figures.
- The list filters (RecordFilters) by level, prize, subject (proposal or competitor), the year or years
  the result was announced (result_on, a date), and, for the yearly report's drill-down
  (services.report.five_small, "上级成绩"), the report's scope: an enterprise (the record's), or a town
  (the town that enterprise was in when the record was made, recorded_at) — the report's attribution.
  Filters only narrow what the reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, exists, or_, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Role, User, UserRole, db
from models.honours import (
    HIGHER_LEVELS,
    HIGHER_PRIZE_LABELS,
    SUBJECT_COMPETITOR,
    SUBJECT_PROPOSAL,
    HigherResult,
    HigherResultLabels,
)
from models.proposals import VALID_STATUSES, Proposal, ProposalAuthor
from services import policy
from services.common import audit, uploads
from services.common.rows import PlainRow
from services.errors import NotFound, RuleViolation

EVIDENCE_KINDS = ("image", "pdf")


@dataclass(frozen=True)
class Honour:
    """A higher-level result of one person, as the growth record and title evidence read it."""

    record_id: int
    level: str
    contest: str
    prize: str
    on: date
    proposal_title: str | None


def _check_recommendation(level: str, contest: str, on: date | None) -> str:
    if level not in HIGHER_LEVELS:
        raise RuleViolation(_l("请选择上级层级（地市、省、国家或国际）。"), field="level")
    contest = " ".join((contest or "").split())
    if not 2 <= len(contest) <= 100:
        raise RuleViolation(_l("请填写上级赛事或评选的名称（2 到 100 字）。"), field="contest")
    if on is None or on > clock.today():
        raise RuleViolation(_l("请填写推荐日期，不能晚于今天。"), field="recommended_on")
    return contest


def _already(contest: str, **subject) -> None:
    clause = [HigherResult.contest == contest] + [getattr(HigherResult, k) == v for k, v in subject.items()]
    if db.session.scalar(select(HigherResult.id).where(*clause).limit(1)):
        raise RuleViolation(_l("已经推荐到“%(contest)s”。", contest=contest), field="contest")


def recommend_proposal(actor, proposal: Proposal, level: str, contest: str, on: date | None) -> HigherResult:
    """The city records that it recommended `proposal` to a higher-level contest (see the module rules).

    NotAllowed for anyone but a union admin; RuleViolation (on the form field) otherwise."""
    policy.require_admin(actor, _l("只有总工会管理员可以记录上级推荐和成绩。"))
    contest = _check_recommendation(level, contest, on)
    if proposal.status not in VALID_STATUSES:
        raise RuleViolation(_l("只有通过筛选的有效提案才能推荐到上级赛事。"))
    _already(contest, proposal_id=proposal.id)
    record = HigherResult(level=level, contest=contest, proposal_id=proposal.id, enterprise_id=proposal.enterprise_id,
                          recommended_on=on, recorded_by_id=actor.id, recorded_at=clock.now())
    db.session.add(record)
    db.session.flush()
    audit.record("honours.recommended", actor=actor, obj=record, level=level, contest=contest,
                 proposal_id=proposal.id)
    return record


def recommend_competitor(actor, person_id: int | None, level: str, contest: str, on: date | None) -> HigherResult:
    """The city records that it recommended a competitor (an active worker) to a higher-level contest.

    NotAllowed for anyone but a union admin; RuleViolation (on the form field) otherwise."""
    policy.require_admin(actor, _l("只有总工会管理员可以记录上级推荐和成绩。"))
    contest = _check_recommendation(level, contest, on)
    person = db.session.scalar(select(User).where(
        User.id == person_id, User.is_active, User.enterprise_id.is_not(None),
        exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value))) if person_id else None
    if person is None:
        raise RuleViolation(_l("请选择一位在职的企业职工。"), field="person_id")
    _already(contest, person_id=person.id)
    record = HigherResult(level=level, contest=contest, person_id=person.id, enterprise_id=person.enterprise_id,
                          recommended_on=on, recorded_by_id=actor.id, recorded_at=clock.now())
    db.session.add(record)
    db.session.flush()
    audit.record("honours.recommended", actor=actor, obj=record, level=level, contest=contest, person_id=person.id)
    return record


def record_result(actor, record: HigherResult, prize: str, on: date | None, evidence) -> HigherResult:
    """The city enters (or corrects) the result of a recommendation: prize, date and evidence file
    (`evidence`: an uploaded file; may be left out when correcting a result that has one).

    NotAllowed for anyone but a union admin; RuleViolation (on the form field) otherwise."""
    policy.require_admin(actor, _l("只有总工会管理员可以记录上级推荐和成绩。"))
    if prize not in HIGHER_PRIZE_LABELS:
        raise RuleViolation(_l("请选择获奖等次。"), field="prize")
    if on is None or on < record.recommended_on or on > clock.today():
        raise RuleViolation(_l("成绩日期应在推荐日期之后，且不晚于今天。"), field="result_on")
    chosen = evidence is not None and getattr(evidence, "filename", "")
    if not chosen and record.evidence_file_id is None:
        raise RuleViolation(_l("请上传证书或公布名单的照片或 PDF 作为证明。"), field="evidence")
    old = {"prize": record.prize, "on": record.result_on.isoformat() if record.result_on else None}
    if chosen:
        record.evidence_file = uploads.save_upload(actor, evidence, allowed=EVIDENCE_KINDS, field="evidence")
    record.prize, record.result_on, record.result_by_id = prize, on, actor.id
    db.session.flush()
    audit.record("honours.result", actor=actor, obj=record, old=old, new={"prize": prize, "on": on.isoformat()})
    return record


@dataclass
class RecordFilters:
    """Filters of the list of records (see the module rules); all optional."""

    level: str | None = None
    prize: str | None = None
    subject: str | None = None
    year: int | None = None
    first: int | None = None
    last: int | None = None
    town_id: int | None = None
    enterprise_id: int | None = None


def filter_conditions(filters: RecordFilters | None) -> list:
    """Conditions on HigherResult of `filters` (see the module rules)."""
    if filters is None:
        return []
    where = []
    if filters.level:
        where.append(HigherResult.level == filters.level)
    if filters.prize:
        where.append(HigherResult.prize == filters.prize)
    if filters.subject == SUBJECT_PROPOSAL:
        where.append(HigherResult.proposal_id.is_not(None))
    elif filters.subject == SUBJECT_COMPETITOR:
        where.append(HigherResult.person_id.is_not(None))
    if filters.year or filters.first:
        start, end = (filters.year, filters.year) if filters.year else (filters.first, filters.last or filters.first)
        where += [HigherResult.result_on >= date(start, 1, 1), HigherResult.result_on < date(end + 1, 1, 1)]
    if filters.enterprise_id:
        where.append(HigherResult.enterprise_id == filters.enterprise_id)
    if filters.town_id:
        where.append(policy.town_condition(filters.town_id, HigherResult.enterprise_id, at=HigherResult.recorded_at))
    return where


def records_query(actor, filters: RecordFilters | None = None):
    """Select of the records `actor` sees, filtered, newest first, subject loaded (page it by id)."""
    stmt = select(HigherResult).where(*filter_conditions(filters)).options(
        db.joinedload(HigherResult.proposal).load_only(Proposal.title),
        db.joinedload(HigherResult.proposal).lazyload(Proposal.campaign),
        db.joinedload(HigherResult.person).load_only(User.name),
        db.joinedload(HigherResult.person).lazyload(User.role_rows),
        db.joinedload(HigherResult.enterprise))
    return policy.scope_to(stmt, actor, HigherResult.enterprise_id).order_by(HigherResult.id.desc())


class RecordRow(HigherResultLabels, PlainRow):
    """A line of the records list as plain columns: the record's own, the proposal's title, the
    competitor's and the enterprise's names (None where there is none)."""

    __slots__ = ("id", "level", "contest", "proposal_id", "recommended_on", "prize", "result_on",
                 "proposal_title", "person_name", "enterprise_name")


def record_rows_query(actor, filters: RecordFilters | None = None):
    """`records_query` as plain columns for `RecordRow` (the names read through the rows' keys)."""
    return policy.scope_to(select(
        HigherResult.id, HigherResult.level, HigherResult.contest, HigherResult.proposal_id,
        HigherResult.recommended_on, HigherResult.prize, HigherResult.result_on,
        select(Proposal.title).where(Proposal.id == HigherResult.proposal_id).scalar_subquery(),
        select(User.name).where(User.id == HigherResult.person_id).scalar_subquery(),
        select(Enterprise.name).where(Enterprise.id == HigherResult.enterprise_id).scalar_subquery(),
    ).where(*filter_conditions(filters)), actor, HigherResult.enterprise_id).order_by(HigherResult.id.desc())


def get_record(actor, record_id: int) -> HigherResult:
    """The record if `actor` sees it (see the module rules), else NotFound."""
    record = db.session.scalar(policy.scope_to(select(HigherResult).where(HigherResult.id == record_id), actor,
                                               HigherResult.enterprise_id))
    if record is None:
        raise NotFound(_l("找不到这条上级成绩记录。"))
    return record


def evidence_file(actor, record_id: int):
    """The evidence file of a record `actor` sees (NotFound otherwise or without a file)."""
    record = get_record(actor, record_id)
    if record.evidence_file is None:
        raise NotFound(_l("这条记录还没有证明文件。"))
    return record.evidence_file


def honours_of(worker_ids) -> dict[int, list[Honour]]:
    """Worker id -> their higher-level results (a prize entered), newest first: as a competitor, or as an
    author of the recommended proposal. One query whatever the number of workers (a kept statement:
    core.statements.shared_statement, the workers' ids an expanding bind parameter)."""
    ids = list(worker_ids)
    result: dict[int, list[Honour]] = {worker_id: [] for worker_id in ids}
    if not ids:
        return result
    rows = db.session.execute(shared_statement(("honours.honours_of",), _honours_statement), {"honours_of_ids": ids})
    for record_id, level, contest, prize, result_on, person_id, author_id, title in rows:  # plain columns
        worker_id = person_id or author_id
        if worker_id in result:
            result[worker_id].append(Honour(record_id, level, contest, prize, result_on, title))
    return result


def _honours_statement():
    """honours_of's statement (the workers' ids: expanding bind parameter honours_of_ids), newest first."""
    return (results_of(bindparam("honours_of_ids", expanding=True))
            .order_by(HigherResult.result_on.desc(), HigherResult.id.desc()))


def results_of(people):
    """The higher-level results (a prize entered) of `people`, a bind parameter: an expanding one (a list of
    ids) or one id. Columns: id, level, contest, prize, result_on, person_id, the author's user_id, the
    proposal's title; a row per person concerned (the competitor, or each author), unordered (the growth
    record reads it within a UNION ALL: services.growth.honours)."""
    record = HigherResult

    def concerns(column):
        return column.in_(people) if people.expanding else column == people

    return (select(record.id, record.level, record.contest, record.prize, record.result_on, record.person_id,
                   ProposalAuthor.user_id, Proposal.title)
            .outerjoin(Proposal, Proposal.id == HigherResult.proposal_id)
            .outerjoin(ProposalAuthor, ProposalAuthor.proposal_id == HigherResult.proposal_id)
            .where(HigherResult.prize.is_not(None), or_(concerns(HigherResult.person_id),
                                                        concerns(ProposalAuthor.user_id))))
