"""Nominations (推荐 / 申报): HR or the union nominates a worker in an open round; the admin reviews.

Rules (docs/domain.md, "Titles"):
- HR nominates workers of their own enterprise, union admins anyone (services.titles.policy), while
  the round is open and before its deadline; the citation has 20-3000 characters.
- Eligibility is computed from the platform's records (services.titles.evidence) and enforced: an
  ineligible nomination is refused with the unmet rules listed; the evidence at that time is kept.
- One nomination per worker and round (a withdrawn one may be submitted again); the same title is
  never awarded twice to one person.
- The union admin approves or rejects (a rejection always with a reason) until the round goes to
  public notice. Every step is audited.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Trade, User, db
from models.titles import (
    NOMINATION_APPROVED,
    NOMINATION_REJECTED,
    NOMINATION_SUBMITTED,
    NOMINATION_WITHDRAWN,
    ROUND_CLOSED,
    ROUND_OPEN,
    Nomination,
    TitleRound,
    TitleType,
    nomination_status_label,
)
from models.vocabulary import TITLE_LABELS, reference_label
from services import policy
from services.accounts import people
from services.common import audit, uploads
from services.common.rows import LIMIT, OFFSET, PlainRow, kept_rows_page
from services.errors import NotAllowed, NotFound, RuleViolation
from services.titles import awards, eligibility, events, evidence
from services.titles import policy as titles_policy
from services.titles.rounds import accepts_nominations, cut_off_date

ATTACHMENT_KINDS = ("image", "pdf")


def worker_for_nomination(actor, worker_id: int) -> User:
    """A worker (role) the actor may nominate; anyone else is NotFound (404 for another enterprise)."""
    return people.get_worker(actor, worker_id, workers_only=True)


def nominate(actor, title_round: TitleRound, worker: User, citation: str, attachments=()) -> Nomination:
    """HR (own enterprise) or an admin nominates `worker` in `title_round`; eligibility is enforced here.

    `attachments` are StoredFile rows already saved. Raises NotAllowed for anyone else, NotFound for
    a worker out of reach, RuleViolation when the round no longer accepts nominations, the worker is
    inactive, already holds the title or is nominated, the citation is not 20-3000 characters, or a
    rule of the title is unmet (all unmet rules listed). Audited.
    """
    if not titles_policy.can_nominate(actor):
        raise NotAllowed(_l("只有企业人力资源或总工会管理员可以推荐。"))
    worker = worker_for_nomination(actor, worker.id)
    if not accepts_nominations(title_round):
        raise RuleViolation(_l("这次评选的推荐已经截止。"))
    if not worker.is_active:
        raise RuleViolation(_l("该职工账号已停用。"), field="worker_id")
    citation = _checked_citation(citation)
    ev = evidence.evidence_for(worker.id, cut_off_date(title_round))
    awards.ensure_not_awarded_twice(title_round.title_type_id in ev.titles, field="worker_id")
    existing = db.session.scalar(db.select(Nomination).where(Nomination.round_id == title_round.id,
                                                             Nomination.worker_id == worker.id))
    if existing is not None and existing.status != NOMINATION_WITHDRAWN:
        raise RuleViolation(_l("该职工已被推荐参加这次评选。"), field="worker_id")
    results = eligibility.evaluate(title_round.title_type, ev)
    missing = eligibility.unmet(results)
    if missing:
        raise RuleViolation(
            _l("不符合申报条件：%(rules)s", rules=str(_l("；")).join(
                str(_l("%(rule)s（%(detail)s）", rule=r.label, detail=r.detail)) for r in missing)),
            field="worker_id")
    if existing is None:
        nomination = Nomination(round_id=title_round.id, worker_id=worker.id)
        db.session.add(nomination)
    else:
        nomination = existing  # a withdrawn nomination is submitted again
    nomination.enterprise_id = worker.enterprise_id
    nomination.nominated_by_id = actor.id
    nomination.citation = citation
    nomination.status = NOMINATION_SUBMITTED
    nomination.evidence = eligibility.evidence_record(ev, results)
    nomination.evidence_score = ev.score()
    nomination.attachments = list(attachments)
    db.session.flush()
    audit.record("nomination.submitted", actor=actor, obj=nomination, worker_id=worker.id,
                 round_id=title_round.id)
    return nomination


def submit_nomination(actor, title_round: TitleRound, worker: User, citation: str, files=()) -> Nomination:
    """The nomination form: store the uploaded `files` (werkzeug FileStorage; images and PDFs, empty
    ones skipped; errors on the `attachments` field) first, then `nominate` with them."""
    stored = [uploads.save_upload(actor, f, allowed=ATTACHMENT_KINDS) for f in files if f and f.filename]
    return nominate(actor, title_round, worker, citation, stored)


def _checked_citation(citation: str | None) -> str:
    citation = (citation or "").strip()
    if len(citation) < 20:
        raise RuleViolation(_l("请填写推荐事迹（至少 20 个字）。"), field="citation")
    if len(citation) > 3000:
        raise RuleViolation(_l("推荐事迹不能超过 3000 字。"), field="citation")
    return citation


NOMINATION_ORDER = {  # each an index walk within a round (models.titles.Nomination's indexes), or a small sort
    "evidence": (Nomination.evidence_score.desc(), Nomination.id.desc()),
    "date": (Nomination.created_at.desc(),),
    "enterprise": (Nomination.enterprise_id, Nomination.id),
    "status": (Nomination.status, Nomination.id),
}


def nominations_query(actor, title_round: TitleRound | None = None, sort: str = "evidence"):
    """Nominations the actor may see (HR: own enterprise; admins: all; a town officer: the town's
    at the nomination's date; others: none), of one round
    when given, sorted by `sort`: evidence (strongest first, the default), date, enterprise or status."""
    stmt = db.select(Nomination).options(
        db.joinedload(Nomination.worker).options(db.joinedload(User.trade), db.lazyload(User.role_rows)),
        db.joinedload(Nomination.enterprise),
        db.joinedload(Nomination.round).joinedload(TitleRound.title_type))
    if title_round is not None:
        stmt = stmt.where(Nomination.round_id == title_round.id)
    stmt = policy.scope_to(stmt, actor, Nomination.enterprise_id, at=Nomination.created_at)
    return stmt.order_by(*NOMINATION_ORDER.get(sort, NOMINATION_ORDER["evidence"]))


def round_cards_query(actor, title_round: TitleRound, sort: str = "evidence"):
    """Select of the round's nominations the actor may see (the scope and orders of nominations_query) as
    plain rows for the round's cards: id, status, citation, review_note, evidence (the snapshot),
    worker_name, enterprise_name and trade_name (as stored: models.vocabulary.reference_label shows it).
    Page it with rows=True; the outer joins on unique keys leave the page's COUNT to the nominations alone."""
    stmt = (select(Nomination.id, Nomination.status, Nomination.citation, Nomination.review_note,
                   Nomination.evidence, User.name.label("worker_name"), Enterprise.name.label("enterprise_name"),
                   Trade.name.label("trade_name"))
            .outerjoin(User, User.id == Nomination.worker_id).outerjoin(Trade, Trade.id == User.trade_id)
            .outerjoin(Enterprise, Enterprise.id == Nomination.enterprise_id)
            .where(Nomination.round_id == title_round.id))
    stmt = policy.scope_to(stmt, actor, Nomination.enterprise_id, at=Nomination.created_at)
    return stmt.order_by(*NOMINATION_ORDER.get(sort, NOMINATION_ORDER["evidence"]))


class NominationLine(PlainRow):
    """A nomination as the titles page lists it (nomination_lines)."""

    __slots__ = ("id", "status", "created_at", "worker_name", "round_year", "round_status", "title_name")

    @property
    def status_label(self):
        return nomination_status_label(self.status, self.round_status)

    @property
    def title_label(self):
        return reference_label(TITLE_LABELS, self.title_name)


_SCOPE = bindparam("nomination_lines_scope")


def _lines_statement(kind: str, counted: bool):
    condition = policy.scope_condition_of(kind, _SCOPE, Nomination.enterprise_id, at=Nomination.created_at)
    if counted:
        return select(func.count(Nomination.id)).where(condition)
    return (select(Nomination.id, Nomination.status, Nomination.created_at, User.name, TitleRound.year,
                   TitleRound.status, TitleType.name, func.count().over())
            .join(TitleRound, TitleRound.id == Nomination.round_id)
            .join(TitleType, TitleType.id == TitleRound.title_type_id)
            .outerjoin(User, User.id == Nomination.worker_id)
            .where(condition).order_by(*NOMINATION_ORDER["date"]).limit(LIMIT).offset(OFFSET))


def nomination_lines(actor, page: int, per_page: int):
    """Page `page` (of `per_page`) of the nominations the actor may see (nominations_query's scope and its
    date order) as NominationLines, with their total: a kept statement per kind of reader
    (services.common.rows.kept_rows_page; the reader's scope a bind parameter)."""
    scope = policy.management_scope(actor)
    return kept_rows_page(("titles.nomination_lines", scope.kind),
                          lambda counted: _lines_statement(scope.kind, counted), {_SCOPE.key: scope.id}, page,
                          per_page, make=NominationLine)


def get_nomination(actor, nomination_id: int) -> Nomination:
    """A nomination the actor may see (see `nominations_query`); NotFound (404) otherwise."""
    nomination = db.session.scalar(nominations_query(actor).where(Nomination.id == nomination_id))
    if nomination is None:
        raise NotFound(_l("找不到这个推荐。"))
    return nomination


def withdraw_nomination(actor, nomination: Nomination) -> None:
    """Withdraw a submitted nomination before review and before the round's deadline (RuleViolation
    otherwise); the caller has reached it through `get_nomination`; only those who nominate (HR, union
    admins) withdraw, never a town officer who only looks (NotAllowed). Audited."""
    if not titles_policy.can_nominate(actor):
        raise NotAllowed(_l("只有企业人力资源和总工会管理员可以撤回推荐。"))
    if nomination.status != NOMINATION_SUBMITTED or not accepts_nominations(nomination.round):
        raise RuleViolation(_l("只有评审前、截止前的推荐可以撤回。"))
    nomination.status = NOMINATION_WITHDRAWN
    audit.record("nomination.withdrawn", actor=actor, obj=nomination)


def review_nomination(actor, nomination: Nomination, approve: bool, note: str) -> None:
    """The union admin's review decision (NotAllowed for others), changeable until the round goes
    to public notice; a rejection needs a reason in `note` (RuleViolation otherwise). Audited."""
    policy.require_admin(actor, _l("只有总工会管理员可以评审推荐。"))
    if nomination.status not in (NOMINATION_SUBMITTED, NOMINATION_APPROVED, NOMINATION_REJECTED):
        raise RuleViolation(_l("这个推荐当前不能评审。"))
    if nomination.round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("评选结果已公示，不能再改变评审意见。"))
    note = (note or "").strip()
    if not approve and not note:
        raise RuleViolation(_l("不通过时请写明理由。"), field="note")
    old = nomination.status
    nomination.status = NOMINATION_APPROVED if approve else NOMINATION_REJECTED
    nomination.review_note = note or None
    nomination.reviewed_by_id = actor.id
    nomination.reviewed_at = clock.now()
    audit.record("nomination.reviewed", actor=actor, obj=nomination, old=old, new=nomination.status, note=note)
    events.nomination_decided(nomination)
