"""Account activation with a printed code (开通码): no shared initial password.

Rules (docs/domain.md, "Accounts"):
- Accounts created by HR or an admin start "not activated" (User.activated_at is None) and cannot log
  in (services.accounts.authentication). The person activates the account on the public activation
  page with their phone number and an activation code printed on an activation slip (开通通知单).
- Codes (`issue_codes`): HR issues them for their own enterprise's people not yet activated, a union
  admin for anyone not yet activated (NotFound for a person out of reach, NotAllowed for anyone else,
  RuleViolation for an activated account: use `reset_password`). A code is 12 characters of the
  verification alphabet without look-alikes (services.common.verification), printed in groups of four;
  only its HMAC-SHA256 keyed with the app's SECRET_KEY is stored, so printing again means issuing
  again, which replaces the person's earlier code. Codes expire ACTIVATION_CODE_DAYS (config, 30) days
  after issue. Each issue is audited (who issued for whom, never the code).
- `reset_password`: a union admin (anyone) or HR (their own people) ends the person's password and
  sessions; the account is not activated again and gets a new code. Audited.
- Activating (`check_code`, then `activate`): phone + code must match a code not used and not expired
  (one generic message for a wrong phone or code, audited like a failed login; a clear one for a used
  or expired code); the person
  accepts the privacy notice of the current PRIVACY_NOTICE_VERSION (its version and the time are
  recorded on the account) and sets a password following the password policy. The code is then used.
  Wrong attempts are limited per phone and per IP by the page (Flask-Limiter, like logins).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.activation import ActivationCode
from services import policy
from services.accounts import policy as accounts_policy
from services.accounts.authentication import can_log_in, end_all_sessions
from services.common import audit, passwords, verification
from services.common.validators import normalize_phone
from services.errors import NotAllowed, RuleViolation

BAD_CODE = _l("手机号或开通码不正确。")


@dataclass(frozen=True)
class IssuedCode:
    """One printed code: the person, the code as printed (groups of four) and when it expires (UTC)."""

    person: User
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Ticket:
    """A phone and code found right on the activation page's first step: whose account, and the code's
    hash (kept in the session for the second step, never the code)."""

    user_id: int
    code_hash: str


def code_hash(code: str) -> str:
    """The stored form of a code: hex HMAC-SHA256 keyed with SECRET_KEY of the compact, normalised code
    (spaces, dashes, case and full-width characters do not matter)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"activation:" + verification.normalise(code).encode(), hashlib.sha256).hexdigest()


def notice_version() -> str:
    """The current privacy notice's version (config PRIVACY_NOTICE_VERSION)."""
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def require_issuer(actor) -> None:
    """NotAllowed unless `actor` is HR or a union admin: the people who issue codes."""
    if not (policy.is_admin(actor) or policy.is_hr(actor)):
        raise NotAllowed(_l("只有企业人力资源和总工会管理员可以签发开通码。"))


def issue_codes(actor: User, people: Iterable[User]) -> list[IssuedCode]:
    """New activation codes for `people` (a batch, in the given order), replacing their earlier codes.

    HR: their own enterprise's people; admins: anyone (accounts.policy.require_manageable: NotFound
    otherwise); every person must be not activated yet (RuleViolation). Returns the codes to print;
    stored are only their keyed hashes, expiring ACTIVATION_CODE_DAYS days from now. Audited per person.
    """
    require_issuer(actor)
    people = list(people)
    for person in people:
        accounts_policy.require_manageable(actor, person)
        if person.is_activated:
            raise RuleViolation(_l("%(name)s 的账号已开通，如需重新开通请重置密码。", name=person.name))
    return _issue(actor, people)


def _issue(actor: User, people: list[User]) -> list[IssuedCode]:
    """Codes for `people`, written in a few statements whatever their number (bulk insert and update)."""
    now = clock.now()
    expires_at = now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    existing: dict[int, int] = {}
    ids = [person.id for person in people]
    for start in range(0, len(ids), 1000):
        rows = db.session.execute(select(ActivationCode.user_id, ActivationCode.id)
                                  .where(ActivationCode.user_id.in_(ids[start:start + 1000])))
        existing.update((user_id, code_id) for user_id, code_id in rows)
    issued, inserts, updates = [], [], []
    for person in people:
        code = verification.new_code()
        values = {"code_hash": code_hash(code), "issued_at": now, "expires_at": expires_at,
                  "issued_by_id": actor.id, "used_at": None}
        if person.id in existing:
            updates.append({"id": existing[person.id], **values})
        else:
            inserts.append({"user_id": person.id, **values})
        issued.append(IssuedCode(person, verification.grouped(code), expires_at))
    db.session.flush()
    if inserts:
        db.session.execute(db.insert(ActivationCode), inserts)
    if updates:
        db.session.execute(db.update(ActivationCode), updates)
    audit.record_many("account.activation_code_issued", people, actor=actor,
                      expires_at=expires_at.isoformat(timespec="seconds"))
    return issued


def _code_of(user_id: int) -> ActivationCode | None:
    """The person's code row as stored now (populate_existing: a bulk reissue in this session shows)."""
    return db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == user_id)
                             .execution_options(populate_existing=True))


def reset_password(actor: User, person: User) -> IssuedCode:
    """A union admin (anyone) or HR (their own people; NotFound otherwise, NotAllowed for others) resets
    a password: the old one stops working, every session of the person ends, the account is not
    activated again and a new activation code is issued (returned, to print one slip). Audited."""
    require_issuer(actor)
    accounts_policy.require_manageable(actor, person)
    person.password_hash = ""
    person.activated_at = None
    person.must_change_password = False
    end_all_sessions(person)
    audit.record("account.password_reset", actor=actor, obj=person)
    return _issue(actor, [person])[0]


def check_code(phone: str, code: str) -> Ticket:
    """The activation page's first step: `phone` and `code` (as typed) name a person whose code is
    right, not used and not expired. RuleViolation otherwise: one message for a wrong phone or code
    (who has an account is not revealed), clear ones for a used or expired code or a closed account."""
    person = db.session.scalar(select(User).where(User.phone == normalize_phone(phone or ""))) if phone else None
    row = _code_of(person.id) if person else None
    hashed = code_hash(code or "")
    if row is None or not hmac.compare_digest(row.code_hash, hashed):
        passwords.burn_time("")  # answer wrong phones as slowly as wrong codes
        audit.record("auth.activation_failed", obj=person, phone=normalize_phone(phone or "")[:16])
        raise RuleViolation(BAD_CODE, field="code")
    _require_usable(person, row)
    return Ticket(person.id, hashed)


def _require_usable(person: User, row: ActivationCode) -> None:
    if row.used_at is not None or person.is_activated:
        raise RuleViolation(_l("这个开通码已经用过。账号已开通的，请直接登录；忘记密码请联系企业人力资源重置。"),
                            field="code")
    if row.expires_at <= clock.now():
        raise RuleViolation(_l("开通码已过期，请联系企业人力资源重新打印开通通知单。"), field="code")
    if not can_log_in(person):
        raise RuleViolation(_l("该账号已停用，不能开通，请联系企业人力资源。"), field="code")


def person_of(ticket: Ticket) -> User:
    """The person a ticket names, while its code is still usable (RuleViolation as check_code)."""
    person = db.session.get(User, ticket.user_id)
    row = _code_of(ticket.user_id)
    if person is None or row is None or not hmac.compare_digest(row.code_hash, ticket.code_hash):
        raise RuleViolation(BAD_CODE, field="code")
    _require_usable(person, row)
    return person


def activate(ticket: Ticket, *, accepted_version: str | None, password: str) -> User:
    """The second step: the person accepted the privacy notice of the current version (RuleViolation on
    `accept` otherwise, also for a notice changed meanwhile) and sets `password` (the password policy).
    The code is used, the version and time of acceptance recorded, the account activated. Audited."""
    person = person_of(ticket)
    if accepted_version != notice_version():
        raise RuleViolation(_l("请阅读并同意个人信息保护告知。"), field="accept")
    passwords.check_policy(password, personal=(person.username, person.phone))
    now = clock.now()
    row = _code_of(person.id)
    row.used_at = now
    person.password_hash = passwords.hash_password(password)
    person.must_change_password = False
    person.activated_at = now
    person.privacy_notice_version = accepted_version
    person.privacy_accepted_at = now
    person.last_login_at = now
    end_all_sessions(person)
    audit.record("account.activated_with_code", actor=person, obj=person, privacy_notice=accepted_version)
    return person


def not_activated_count(enterprise_id: int) -> int:
    """How many active workers of an enterprise have not activated their account (one indexed count)."""
    return db.session.scalar(not_activated_query(enterprise_id)) or 0


def not_activated_query(enterprise_id):
    """The count query of `not_activated_count` (`enterprise_id`: an id, or a bind parameter for a
    statement built once: services.messages.todos)."""
    return select(func.count(User.id)).where(User.enterprise_id == enterprise_id, User.activated_at.is_(None),
                                             User.is_active.is_(True))
