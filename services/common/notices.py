"""Public notice (公示): publishing results or honours for objections before they become final.

Rules:
- A notice runs for N working days (default 5) counted from the day after publication, and ends at
  midnight Asia/Shanghai after the last of them. Working days follow the official calendar
  (services.common.workdays); an end in a year whose schedule is not known yet is provisional (暂定).
- While it runs, any logged-in user may object under their real name (10-2000 characters), except the
  notice's owner, who resolves the objections.
- Only union admins publish, resolve objections (upheld or dismissed, always with a note) and
  finalise; a notice becomes final only after its period is over and every objection is resolved.
Each step is audited. The owning area reacts to the outcome (e.g. revises a result when upheld).

One objection flow serves every area (blueprints/notices): each area registers, once per kind of
subject, what only it knows (`register_subject`: who may see a subject, who resolves its objections,
the page to go back to, the messages), so a new area (training, events) only registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, false, func, or_

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import User, db
from models.notices import (
    NOTICE_FINAL,
    NOTICE_OPEN,
    OBJECTION_DISMISSED,
    OBJECTION_PENDING,
    OBJECTION_UPHELD,
    Objection,
    PublicNotice,
)
from services import policy
from services.common import audit, owners, workdays
from services.common.i18n import deferred
from services.errors import NotAllowed, NotFound, RuleViolation
from services.messages import inbox
from services.messages.reminders import Reminder, reminder

DEFAULT_WORKING_DAYS = 5


def run_from_now(notice: PublicNotice, working_days: int) -> None:
    """(Re)start `notice` now for `working_days` working days (services.common.workdays counts them)."""
    notice.published_at = clock.now()
    notice.working_days = working_days
    notice.ends_at, notice.provisional = workdays.notice_end(notice.published_at, working_days)


def notice_for(subject_type: str, subject_id: int) -> PublicNotice | None:
    return db.session.scalar(
        db.select(PublicNotice).where(
            PublicNotice.subject_type == subject_type, PublicNotice.subject_id == subject_id
        )
    )


_SUBJECT_TYPE, _SUBJECT_ID = bindparam("notice_subject_type"), bindparam("notice_subject_id")


def _notice_with_objections_stmt():
    """The subject's notice, each of its objections (none: one row with None) with the objector's name."""
    return (db.select(PublicNotice, Objection)
            .outerjoin(Objection, Objection.notice_id == PublicNotice.id)
            .outerjoin(User, User.id == Objection.objector_id)
            .where(PublicNotice.subject_type == _SUBJECT_TYPE, PublicNotice.subject_id == _SUBJECT_ID)
            .options(db.contains_eager(Objection.objector).load_only(User.name).lazyload(User.role_rows))
            .order_by(Objection.id))


def notice_with_objections(subject_type: str, subject_id: int) -> tuple[PublicNotice | None, list[Objection]]:
    """The subject's notice (notice_for) and its objections as objections_of gives them, from one kept
    statement (core.statements.shared_statement): the notice joined with its objections and their
    objectors' names; (None, []) without a notice."""
    rows = db.session.execute(shared_statement(("notices.with_objections",), _notice_with_objections_stmt),
                              {_SUBJECT_TYPE.key: subject_type, _SUBJECT_ID.key: subject_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [objection for _notice, objection in rows if objection is not None]


@dataclass(frozen=True)
class NoticeSubject:
    """What the area owning one kind of notice subject tells the shared objection flow.

    - `can_see(user, subject_id)`: may this logged-in person see the subject (and so object to it);
    - `page(subject_id)`: the endpoint and its URL arguments of the subject's page, where objections
      are filed and the flow returns;
    - `owner_page(subject_id)`: where the owner resolves objections (default: `page`);
    - `may_resolve(user, subject_id)`: the notice's owner (default: union admins, who publish);
    - `filed` / `resolved`: the messages after an objection is filed / resolved;
    - `owned_by(level, owner_id)`: a select of the ids of the subjects owned by the owner `level`
      (services.policy CITY, TOWN or ENTERPRISE) of that id (None for the city), for the owners' to-do
      lists (services.common.notice_todos); without it every subject of the kind is the city's.
    """

    can_see: Callable[[Any, int], bool]
    page: Callable[[int], tuple[str, dict]]
    filed: Any
    resolved: Any
    owner_page: Callable[[int], tuple[str, dict]] | None = None
    may_resolve: Callable[[Any, int], bool] | None = None
    owned_by: Callable[[str, int | None], Any] | None = None

    def back_to(self, subject_id: int, owner: bool = False) -> tuple[str, dict]:
        """The page to go back to: the owner's page (for a resolution) or the subject's page."""
        return (self.owner_page if owner and self.owner_page else self.page)(subject_id)


_SUBJECTS: dict[str, NoticeSubject] = {}


def register_subject(subject_type: str, subject: NoticeSubject) -> None:
    """Register (or replace) what the objection flow needs about notices of `subject_type`; each area
    calls it once, when its service module is imported."""
    _SUBJECTS[subject_type] = subject


def visible_if(model, rule: Callable[[Any, Any], bool] | None = None) -> Callable[[Any, int], bool]:
    """A `can_see` for subjects stored as rows of `model`: the row exists and, when given, the area's
    rule `rule(user, row)` lets the user see it."""

    def can_see(user, subject_id: int) -> bool:
        row = db.session.get(model, subject_id)
        return row is not None and (rule is None or rule(user, row))

    return can_see


def owned_ids(model) -> Callable[[str, int | None], Any]:
    """An `owned_by` for subjects stored as rows of `model` with an owner (owner_level, owner_town_id,
    owner_enterprise_id; issue 14): the ids of the rows of that owner."""

    def owned_by(level: str, owner_id: int | None):
        return db.select(model.id).where(owners.owned_by_clause(
            model, level, enterprise_id=owner_id if level == policy.ENTERPRISE else None,
            town_id=owner_id if level == policy.TOWN else None))

    return owned_by


def owned_condition_key() -> tuple:
    """What the shape of `owned_condition` depends on (the registered kinds and their `owned_by`): a key
    for a statement built once with it."""
    return tuple((subject_type, subject.owned_by) for subject_type, subject in _SUBJECTS.items())


def owned_condition(level: str, owner_id: int | None = None):
    """SQL over PublicNotice: the notice's subject is owned by the owner `level` (services.policy CITY,
    TOWN or ENTERPRISE) with id `owner_id`, per the areas' `owned_by` (a kind without one: the city's)."""
    parts, owner_aware = [], []
    for subject_type, subject in _SUBJECTS.items():
        if subject.owned_by is not None:
            owner_aware.append(subject_type)
            parts.append(and_(PublicNotice.subject_type == subject_type,
                              PublicNotice.subject_id.in_(subject.owned_by(level, owner_id))))
    if level == policy.CITY:
        parts.append(PublicNotice.subject_type.not_in(owner_aware))
    return or_(*parts) if parts else false()


def subject_of(notice: PublicNotice) -> NoticeSubject | None:
    """The registration of the notice's kind of subject, None for a kind nobody registered."""
    return _SUBJECTS.get(notice.subject_type)


def may_see(user, notice: PublicNotice) -> bool:
    """A logged-in person whom the subject's area lets see the subject; never an unregistered kind."""
    subject = subject_of(notice)
    return (user is not None and user.is_authenticated and subject is not None
            and subject.can_see(user, notice.subject_id))


def get_notice(notice_id: int, seen_by=None) -> PublicNotice:
    """The notice with this id; with `seen_by` only when that person may see its subject (`may_see`).
    NotFound otherwise (404: nobody learns what exists out of their sight)."""
    notice = db.session.get(PublicNotice, notice_id)
    if notice is None or (seen_by is not None and not may_see(seen_by, notice)):
        raise NotFound(_l("找不到这个公示。"))
    return notice


def get_objection(objection_id: int, subject_type: str | None = None, subject_id: int | None = None, *,
                  seen_by=None) -> Objection:
    """An objection, of a notice of `subject_type` (and of `subject_id`) when given, and whose notice's
    subject `seen_by` may see when given; NotFound otherwise."""
    objection = db.session.get(Objection, objection_id)
    notice = objection.notice if objection is not None else None
    if notice is None or (subject_type is not None and notice.subject_type != subject_type) or (
            subject_id is not None and notice.subject_id != subject_id) or (
            seen_by is not None and not may_see(seen_by, notice)):
        raise NotFound(_l("找不到这条异议。"))
    return objection


def is_owner(user, notice: PublicNotice) -> bool:
    """Who resolves the notice's objections: the area's `may_resolve`, by default union admins."""
    subject = subject_of(notice)
    if subject is not None and subject.may_resolve is not None:
        return subject.may_resolve(user, notice.subject_id)
    return policy.is_admin(user)


def require_owner(user, notice: PublicNotice) -> None:
    """NotAllowed (403) for anyone but the notice's owner (`is_owner`)."""
    if not is_owner(user, notice):
        subject = subject_of(notice)
        raise NotAllowed(_l("只有主办方可以处理异议。") if subject is not None and subject.may_resolve is not None
                         else _l("只有总工会管理员可以处理异议。"))


def objections_of(notice: PublicNotice | None, objector=None) -> list[Objection]:
    """The notice's objections (only `objector`'s, when given) in the order filed, objectors' names
    loaded in the same query (only the name: the lists show nothing else of them; [] without a notice)."""
    if notice is None:
        return []
    stmt = (db.select(Objection).where(Objection.notice_id == notice.id)
            .options(db.joinedload(Objection.objector).load_only(User.name).lazyload(User.role_rows))
            .order_by(Objection.id))
    if objector is not None:
        stmt = stmt.where(Objection.objector_id == objector.id)
    return list(db.session.scalars(stmt))


def is_running(notice: PublicNotice) -> bool:
    return notice.status == NOTICE_OPEN and clock.now() < notice.ends_at


def require_publisher(actor, subject_type: str | None = None, subject_id: int | None = None) -> None:
    """Only the owner of the subject publishes its notice: the area's `may_resolve` when it registered
    one (e.g. an enterprise's own campaign: its HR), else union admins (NotAllowed otherwise)."""
    subject = _SUBJECTS.get(subject_type or "")
    if subject is not None and subject.may_resolve is not None:
        if not subject.may_resolve(actor, subject_id):
            raise NotAllowed(_l("只有主办方可以发布公示。"))
        return
    policy.require_admin(actor, _l("只有总工会管理员可以发布公示。"))


def publish(actor, subject_type: str, subject_id: int, title: str,
            working_days: int = DEFAULT_WORKING_DAYS) -> PublicNotice:
    """Open the notice of a subject (once per subject) by its owner (require_publisher)."""
    require_publisher(actor, subject_type, subject_id)
    if not 1 <= working_days <= 30:
        raise RuleViolation(_l("公示期应为 1 到 30 个工作日。"), field="working_days")
    if notice_for(subject_type, subject_id) is not None:
        raise RuleViolation(_l("已经发布过公示。"))
    notice = PublicNotice(subject_type=subject_type, subject_id=subject_id, title=title, status=NOTICE_OPEN,
                          published_by_id=actor.id)
    run_from_now(notice, working_days)
    db.session.add(notice)
    db.session.flush()
    audit.record("notice.published", actor=actor, obj=notice, subject=f"{subject_type}:{subject_id}",
                 ends_at=notice.ends_at.isoformat())
    return notice


def may_object(user, notice: PublicNotice) -> bool:
    """Whether `user` may object to `notice` now: logged in, the notice runs, and `user` is not its owner
    (the owner resolves objections, so it does not file them against its own notice)."""
    return (user is not None and user.is_authenticated and is_running(notice)
            and not is_owner(user, notice))


def file_objection(user, notice: PublicNotice, body: str) -> Objection:
    """Any logged-in user but the notice's owner (`is_owner`, who resolves objections: RuleViolation) objects
    under their real name while the notice runs (RuleViolation after it, or for a too short or long body)."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_l("请先登录，再以实名提出异议。"))
    if is_owner(user, notice):
        raise RuleViolation(_l("您是这次公示的主办方，负责处理异议，不能对自己的公示提出异议。"))
    if not is_running(notice):
        raise RuleViolation(_l("公示期已结束，不能再提出异议。"), field="body")
    body = (body or "").strip()
    if len(body) < 10:
        raise RuleViolation(_l("请具体说明异议的理由（至少 10 个字）。"), field="body")
    if len(body) > 2000:
        raise RuleViolation(_l("异议内容不能超过 2000 字。"), field="body")
    objection = Objection(notice=notice, objector_id=user.id, body=body, status=OBJECTION_PENDING)
    db.session.add(objection)
    db.session.flush()
    audit.record("notice.objection_filed", actor=user, obj=objection, notice_id=notice.id)
    return objection


def resolve_objection(actor, objection: Objection, upheld: bool, note: str) -> None:
    """The notice's owner (`require_owner`) resolves a pending objection as upheld or dismissed, always
    with a note (RuleViolation otherwise). Audited."""
    require_owner(actor, objection.notice)
    if objection.status != OBJECTION_PENDING:
        raise RuleViolation(_l("这条异议已经处理过了。"))
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("请填写处理意见。"), field="note")
    objection.status = OBJECTION_UPHELD if upheld else OBJECTION_DISMISSED
    objection.resolution_note = note
    objection.resolved_by_id = actor.id
    objection.resolved_at = clock.now()
    audit.record("notice.objection_resolved", actor=actor, obj=objection, status=objection.status)
    objection_resolved(objection)


def objection_resolved(objection: Objection) -> None:
    """Tell the objector how their objection was resolved (upheld or dismissed, with the note); the
    link leads to the subject's page."""
    notice = objection.notice
    subject = _SUBJECTS.get(notice.subject_type)
    link = None
    if subject is not None:
        endpoint, values = subject.page(notice.subject_id)
        link = inbox.link_to(endpoint, **values)
    text = (deferred("您对“%(title)s”提出的异议已处理：异议成立。", title=notice.title)
            if objection.status == OBJECTION_UPHELD
            else deferred("您对“%(title)s”提出的异议已处理：异议不成立。", title=notice.title))
    inbox.notify([objection.objector_id], "notice.objection_resolved", text,
                 body=deferred("处理意见：%(note)s", note=objection.resolution_note or ""), link=link)


def pending_objections(notice: PublicNotice) -> int:
    return db.session.scalar(
        db.select(func.count(Objection.id)).where(
            Objection.notice_id == notice.id, Objection.status == OBJECTION_PENDING
        )
    )


def finalise(actor, notice: PublicNotice) -> None:
    """The notice's owner (is_owner) makes the noticed result final: the period is over and no
    objection is pending."""
    if not is_owner(actor, notice):
        raise NotAllowed(_l("只有总工会管理员可以确认公示结果。"))
    if notice.status == NOTICE_FINAL:
        raise RuleViolation(_l("公示结果已经确认。"))
    if clock.now() < notice.ends_at:
        raise RuleViolation(_l("公示期尚未结束。"))
    if pending_objections(notice):
        raise RuleViolation(_l("还有未处理的异议，处理完毕后才能确认结果。"))
    notice.status = NOTICE_FINAL
    notice.finalised_at = clock.now()
    notice.finalised_by_id = actor.id
    audit.record("notice.finalised", actor=actor, obj=notice)


@reminder("notice.ending")
def notice_ending_reminders(today):
    """The publisher of each open notice whose last day is tomorrow (Asia/Shanghai): objections close
    then, and the result can be finalised after it."""
    start = datetime.combine(today + timedelta(days=2), time(0), tzinfo=clock.SHANGHAI)
    ending = db.session.scalars(db.select(PublicNotice).where(
        PublicNotice.status == NOTICE_OPEN, PublicNotice.ends_at >= start,
        PublicNotice.ends_at < start + timedelta(days=1), PublicNotice.published_by_id.is_not(None)))
    for notice in ending:
        subject = _SUBJECTS.get(notice.subject_type)
        link = None
        if subject is not None:
            endpoint, values = subject.back_to(notice.subject_id, owner=True)
            link = inbox.link_to(endpoint, **values)
        yield Reminder("notice.ending", notice.id, notice.published_by_id, today + timedelta(days=1),
                       deferred("公示“%(title)s”明天结束，期满后请处理异议并确认结果。", title=notice.title), link)
