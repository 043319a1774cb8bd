"""Transfers between enterprises (调入): one person, one account, one growth record for life.

Rules:
- When HR adds a person whose phone is already registered (`add_person`, and the roster import through
  `find_transfer_candidate` + `start_transfer`), the name must match too (NFKC, spaces ignored) and the
  ID-card number where both sides have one; otherwise the phone is refused as a conflict for the union
  office (RuleViolation on "phone"). A match starts a transfer instead of a second account.
- A transfer waits for the person's consent: in their own account (a message and a to-do, services.accounts.todos) or
  on the spot with the one-time code HR hands over (8 characters, kept only as an HMAC keyed with the app's secret;
  HR may issue a new one; wrong tries are limited per account and IP by the view). The person may
  instead decline it (`decline`: a transfer they never asked for ends, the new enterprise's HR, and the
  old one's when it was asked, are told). Confirming or declining marks the message that asked for it read.
- The old enterprise: when it has recorded the leave (离职) and the date has come, or the person has no
  employer, the transfer completes on the person's confirmation. Otherwise its HR is asked to confirm
  the leave date or to answer "still employed here" (the transfer stops). With the person's consent and
  no answer within TRANSFER_ANSWER_DAYS (config, default 7) days it completes (periodic task
  `accounts.transfers`, `flask tick`). A leave recorded for a future day is waited for.
- Completing closes the old employment on the leave date (or the day it completes), applies the
  leaving rules (services.accounts.employment.leave_effective), moves user.enterprise_id, employee
  number, trade and hire date to the new enterprise, opens the new employment and gives the worker
  role. Every step is audited and tells the people concerned (services.accounts.events).
- One open transfer per person; not into the enterprise the person already works at.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, Trade, Transfer, User, UserRole, db
from models.employment import (
    ANSWER_EMPLOYED,
    ANSWER_LEFT,
    ENDED_TRANSFERRED,
    TRANSFER_COMPLETED,
    TRANSFER_DECLINED,
    TRANSFER_PENDING,
    TRANSFER_STOPPED,
)
from services import policy
from services.accounts import employment, events, people
from services.common import audit
from services.common.validators import normalize_employee_no, normalize_id_card, normalize_phone
from services.errors import NotAllowed, NotFound, RuleViolation
from services.jobs.scheduler import periodic

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 8
MAX_HIRE_DAYS_AHEAD = 90


# --- matching a phone that is already registered --------------------------------------------------


def _plain_name(name: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def find_transfer_candidate(phone: str, name: str, id_card_no: str | None) -> User | None:
    """The person already registered with `phone` when they are the same person, else None.

    None: the phone is free (or blank). The person: the name matches (NFKC, spaces ignored) and, where
    both sides have an ID-card number, so does the number. RuleViolation(field="phone") otherwise: a
    conflict for the union office to resolve, never a silent merge.
    """
    phone = normalize_phone(phone)
    if not phone:
        return None
    person = db.session.scalar(select(User).where(User.phone == phone))
    if person is None:
        return None
    id_card = normalize_id_card(id_card_no) or None
    other_card = id_card and person.id_card_no and id_card != person.id_card_no
    if _plain_name(person.name) != _plain_name(name) or other_card:
        raise RuleViolation(_l("该手机号已登记在另一人名下，请联系总工会处理"), field="phone")
    return person


def add_person(actor, profile: people.Profile) -> User | Transfer:
    """HR's "add a worker": a new account (people.create_account: not activated until the person uses
    the code of their activation slip), or, when the phone is already
    registered to the same person, a transfer request instead (`start_transfer`, returned with its
    one-time `code`). Raises as those do (the phone conflict of `find_transfer_candidate` included)."""
    candidate = None
    if policy.is_hr(actor) and not policy.is_admin(actor):
        candidate = find_transfer_candidate(profile.phone or "", profile.name, profile.id_card_no)
    if candidate is not None:
        return start_transfer(actor, candidate, profile)
    return people.create_account(actor, profile)


# --- starting ------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _code_hash(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"transfer:{code.strip().upper()}".encode(), hashlib.sha256).hexdigest()


def _issue_code(transfer: Transfer) -> str:
    code = _new_code()
    transfer.code_hash = _code_hash(code)
    return code


def start_transfer(actor, person: User, profile: people.Profile) -> Transfer:
    """Enterprise B (the HR's own; an admin names it in `profile.enterprise_id`) asks to take on `person`.

    `profile`: the new employment's employee number (required, unique in B), trade (required), hire
    date (optional, at most 90 days ahead). NotAllowed for anyone but HR or an admin; RuleViolation
    when the person already works at B, is deactivated, has an open transfer, or a field breaks a rule.
    Returns the transfer with `code` set: the one-time code to hand over (shown once, stored hashed).
    """
    if policy.is_admin(actor):
        to_id = profile.enterprise_id
    elif policy.is_hr(actor):
        to_id = actor.enterprise_id
    else:
        raise NotAllowed(_l("只有企业人力资源可以办理调入。"))
    enterprise = db.session.get(Enterprise, to_id) if to_id else None
    if enterprise is None or not enterprise.is_active:
        raise RuleViolation(_l("请选择调入的企业。"), field="enterprise_id")
    if person.enterprise_id == to_id:
        raise RuleViolation(_l("该职工已在本企业任职。"), field="phone")
    if not person.is_active:
        raise RuleViolation(_l("该手机号的账号已停用，请联系总工会处理。"), field="phone")
    if db.session.scalar(select(Transfer.id).where(Transfer.user_id == person.id, Transfer.status == TRANSFER_PENDING)):
        raise RuleViolation(_l("该职工已有进行中的调入申请。"), field="phone")
    employee_no = normalize_employee_no(profile.employee_no) or None
    if not employee_no:
        raise RuleViolation(_l("请填写在本企业的工号。"), field="employee_no")
    if db.session.scalar(select(User.id).where(User.enterprise_id == to_id, User.employee_no == employee_no)):
        raise RuleViolation(_l("本企业已有这个工号，请换一个。"), field="employee_no")
    if not profile.trade_id or db.session.get(Trade, profile.trade_id) is None:
        raise RuleViolation(_l("请选择在本企业的工种。"), field="trade_id")
    if profile.hire_date and profile.hire_date > clock.today() + timedelta(days=MAX_HIRE_DAYS_AHEAD):
        raise RuleViolation(_l("入职日期最多可提前 90 天。"), field="hire_date")
    now = clock.now()
    transfer = Transfer(user_id=person.id, from_enterprise_id=person.enterprise_id, to_enterprise_id=to_id,
                        requested_by_id=actor.id, employee_no=employee_no, trade_id=profile.trade_id,
                        hire_date=profile.hire_date, status=TRANSFER_PENDING, created_at=now,
                        answer_due_at=now + timedelta(days=current_app.config["TRANSFER_ANSWER_DAYS"]))
    db.session.add(transfer)
    code = _issue_code(transfer)
    db.session.flush()
    transfer.code = code
    audit.record("account.transfer_started", actor=actor, obj=transfer, enterprise_id=to_id, person_id=person.id,
                 from_enterprise_id=person.enterprise_id)
    events.transfer_started(transfer, ask_old=not _leave_settled(transfer))
    return transfer


def reissue_code(actor, transfer: Transfer) -> str:
    """HR of the new enterprise issues a new one-time code (the old one stops working); only while
    the transfer is open (RuleViolation). Audited. Returns the code to hand over."""
    _require_new_hr(actor, transfer)
    _require_open(transfer)
    code = _issue_code(transfer)
    audit.record("account.transfer_code_issued", actor=actor, obj=transfer, enterprise_id=transfer.to_enterprise_id)
    return code


# --- the person's consent --------------------------------------------------------------------------


def confirm(actor, transfer: Transfer) -> Transfer:
    """The person consents to the transfer in their own account (NotFound for anyone else;
    RuleViolation when it is no longer open or was already confirmed); it completes when it may."""
    if actor.id != transfer.user_id:
        raise _unknown_transfer()
    _require_open(transfer)
    if transfer.person_confirmed_at is not None:
        raise RuleViolation(_l("您已确认过这个调入申请。"))
    transfer.person_confirmed_at = clock.now()
    audit.record("account.transfer_confirmed", actor=actor, obj=transfer, enterprise_id=transfer.to_enterprise_id)
    events.transfer_answered_by_person(transfer)
    try_complete(actor, transfer)
    return transfer


def decline(actor, transfer: Transfer) -> Transfer:
    """The person declines a transfer (e.g. one they never asked for): it ends (status declined), the new
    enterprise's HR (and the old one's, when it was asked to answer) are told, the message asking the
    person is marked read. NotFound for anyone but the person; RuleViolation when it is no longer open.
    Audited."""
    if actor.id != transfer.user_id:
        raise _unknown_transfer()
    _require_open(transfer)
    transfer.status, transfer.code_hash = TRANSFER_DECLINED, None
    audit.record("account.transfer_declined", actor=actor, obj=transfer, enterprise_id=transfer.to_enterprise_id)
    events.transfer_answered_by_person(transfer)
    events.transfer_declined(transfer, tell_old=transfer.answer is None and not _leave_settled(transfer))
    return transfer


def confirm_with_code(actor, code: str) -> Transfer:
    """The person types the code HR handed over: it confirms their open transfer whose code it is
    (RuleViolation(field="code") when it is none of them)."""
    digest = _code_hash(code or "")
    for transfer in open_transfers_of(actor):
        if transfer.code_hash and hmac.compare_digest(transfer.code_hash, digest):
            return confirm(actor, transfer)
    raise RuleViolation(_l("确认码不正确，请核对企业人力资源给您的确认码。"), field="code")


# --- the old enterprise's answer ---------------------------------------------------------------------


def answer(actor, transfer: Transfer, *, still_employed: bool, leave_date: date | None = None) -> Transfer:
    """HR of the old enterprise (or an admin) answers: "still employed here" stops the transfer; else
    the leave date (not before the employment began, at most 90 days ahead) is recorded and the transfer
    completes when the person has confirmed and the date has come. NotFound for anyone else;
    RuleViolation when already answered, no longer open, or the date breaks a rule. Audited."""
    if transfer.from_enterprise_id is None or not (
            policy.is_admin(actor) or (policy.is_hr(actor) and actor.enterprise_id == transfer.from_enterprise_id)):
        raise _unknown_transfer()
    _require_open(transfer)
    if transfer.answer is not None:
        raise RuleViolation(_l("已答复过这个调入申请。"))
    transfer.answered_by_id, transfer.answered_at = actor.id, clock.now()
    if still_employed:
        transfer.answer, transfer.status = ANSWER_EMPLOYED, TRANSFER_STOPPED
        audit.record("account.transfer_stopped", actor=actor, obj=transfer, enterprise_id=transfer.from_enterprise_id)
        events.transfer_stopped(transfer)
        return transfer
    person = transfer.person
    if person.enterprise_id == transfer.from_enterprise_id:
        current = employment.current_employment(person)
        if current is not None and current.ended_on is not None:
            leave_date = current.ended_on  # recorded already
        else:
            transfer.answer, transfer.leave_date = ANSWER_LEFT, leave_date
            # its rules; it completes this transfer when due. The period ended by moving to B.
            employment.record_leave(actor, person, leave_date).end_reason = ENDED_TRANSFERRED
    transfer.answer, transfer.leave_date = ANSWER_LEFT, leave_date
    audit.record("account.transfer_answered", actor=actor, obj=transfer, enterprise_id=transfer.from_enterprise_id,
                 leave_date=leave_date.isoformat() if leave_date else None)
    try_complete(actor, transfer)
    return transfer


# --- completing ----------------------------------------------------------------------------------------


def _leave_settled(transfer: Transfer) -> bool:
    """True when the old enterprise need not be asked: no old employer, the person already left it, or
    its HR recorded a leave whose date has come."""
    person = transfer.person or db.session.get(User, transfer.user_id)
    if transfer.from_enterprise_id is None or person.enterprise_id != transfer.from_enterprise_id:
        return True
    current = employment.current_employment(person)
    return current is not None and current.ended_on is not None and current.ended_on <= clock.today()


def _leave_pending(person: User) -> bool:
    current = employment.current_employment(person)
    return current is not None and current.ended_on is not None and current.ended_on > clock.today()


def try_complete(actor, transfer: Transfer, now: datetime | None = None) -> bool:
    """Complete `transfer` if it may (rules in the module docstring); True when it did."""
    now = now or clock.now()
    if transfer.status != TRANSFER_PENDING or transfer.person_confirmed_at is None:
        return False
    person = transfer.person
    if person.enterprise_id == transfer.from_enterprise_id and _leave_pending(person):
        return False  # the old enterprise recorded a leave date still to come: wait for it
    if not (_leave_settled(transfer) or (transfer.answer is None and now >= transfer.answer_due_at)):
        return False
    _complete(actor, transfer)
    return True


def _complete(actor, transfer: Transfer) -> None:
    person = transfer.person
    if person.enterprise_id is not None and person.enterprise_id != transfer.to_enterprise_id:
        old = employment.current_employment(person) or employment.open_employment(person)
        if old.ended_on is None:
            old.ended_on = transfer.leave_date or clock.today()
        old.end_reason = ENDED_TRANSFERRED
        employment.leave_effective(actor, person, old, new_enterprise_id=transfer.to_enterprise_id)
    person.enterprise_id = transfer.to_enterprise_id
    person.employee_no = transfer.employee_no
    person.trade_id = transfer.trade_id
    person.hire_date = transfer.hire_date or clock.today()
    if not person.has_role(Role.WORKER):
        person.role_rows.append(UserRole(role=Role.WORKER.value))
        audit.record("account.role_granted", actor=actor, obj=person, enterprise_id=transfer.to_enterprise_id,
                     role=Role.WORKER.value, reason="调入")
    db.session.flush()
    employment.open_employment(person, started_on=person.hire_date)
    transfer.status, transfer.completed_at = TRANSFER_COMPLETED, clock.now()
    audit.record("account.transferred", actor=actor, obj=person, enterprise_id=transfer.to_enterprise_id,
                 from_enterprise_id=transfer.from_enterprise_id, transfer_id=transfer.id)
    events.transfer_completed(transfer)


def continue_after_leave(actor, person: User) -> None:
    """A leave was recorded: the person's open, confirmed transfer completes when it now may."""
    for transfer in open_transfers_of(person):
        try_complete(actor, transfer)


@periodic("accounts.transfers", timedelta(minutes=30))
def run_due(now: datetime) -> str:
    """The periodic task: confirmed transfers whose old enterprise did not answer in time (or whose
    leave date came) complete, then recorded leaves whose date came take effect."""
    done = 0
    for transfer in db.session.scalars(select(Transfer).where(
            Transfer.status == TRANSFER_PENDING, Transfer.person_confirmed_at.is_not(None)).order_by(Transfer.id)):
        done += try_complete(None, transfer, now)
    left = employment.apply_due_leaves(now.astimezone(clock.SHANGHAI).date())
    return f"{done} transfers completed, {left} leaves took effect"


# --- finding transfers -----------------------------------------------------------------------------------


def _unknown_transfer() -> NotFound:
    return NotFound(_l("找不到这个调入申请。"))


def _require_open(transfer: Transfer) -> None:
    if transfer.status != TRANSFER_PENDING:
        raise RuleViolation(_l("这个调入申请已经结束。"))


def _require_new_hr(actor, transfer: Transfer) -> None:
    if not (policy.is_admin(actor) or (policy.is_hr(actor) and actor.enterprise_id == transfer.to_enterprise_id)):
        raise _unknown_transfer()


def can_see(actor, transfer: Transfer) -> bool:
    """The person, HR of either enterprise, or a union admin."""
    return (actor.id == transfer.user_id or policy.is_admin(actor) or (
        policy.is_hr(actor) and actor.enterprise_id in (transfer.to_enterprise_id, transfer.from_enterprise_id)))


def get_transfer(actor, transfer_id: int) -> Transfer:
    """A transfer the actor may see (`can_see`), else NotFound (404)."""
    transfer = db.session.get(Transfer, transfer_id)
    if transfer is None or not can_see(actor, transfer):
        raise _unknown_transfer()
    return transfer


def transfers_query(actor):
    """Transfers into or out of the HR's enterprise (admins: all), newest first (keyset by id)."""
    stmt = select(Transfer).options(db.joinedload(Transfer.person).lazyload(User.role_rows),  # roles not shown
                                    db.joinedload(Transfer.from_enterprise),
                                    db.joinedload(Transfer.to_enterprise))
    if not policy.is_admin(actor):
        eid = actor.enterprise_id if policy.is_hr(actor) else -1
        stmt = stmt.where((Transfer.to_enterprise_id == eid) | (Transfer.from_enterprise_id == eid))
    return stmt.order_by(Transfer.id.desc())


def open_transfers_of(person: User) -> list[Transfer]:
    """The person's open transfers (at most one), with the enterprises."""
    return list(db.session.scalars(select(Transfer).options(db.joinedload(Transfer.to_enterprise),
                                                            db.joinedload(Transfer.from_enterprise))
                                   .where(Transfer.user_id == person.id, Transfer.status == TRANSFER_PENDING)))
