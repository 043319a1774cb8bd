"""Standing at the moment an automatic step selects someone (issue 12, item 5).

Rule (docs/domain.md, "Rules shared by every part"): every step that picks people by itself (waitlist
promotion, judge auto-assignment, promotion recommendations) or that makes a selection final (title
awards, excellent pairs) checks the person's STANDING at that moment: the account is active, the
enterprise the selection belongs to is active, and the person still works there. Qualifications (age,
trade, level, evidence) are NOT re-checked here: they were checked as of the event's own cut-off date
when the person entered, and a birthday or a change after that date changes nothing.

A person passed over is marked by the calling step (a state and this reason) and told, with the HR
officers of the enterprise, in the message centre (`tell_passed_over`).
"""

from __future__ import annotations

from sqlalchemy import exists, select

from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, User, UserRole, db
from services.common.i18n import Deferred, deferred
from services.errors import RuleViolation
from services.messages import inbox


def standing_problem(person: User | None, enterprise_id: int | None) -> Deferred | None:
    """Why `person` has no standing at `enterprise_id` now (deactivated account, deactivated enterprise,
    no longer employed there), or None. `enterprise_id` None: only the account is checked."""
    if person is None or not person.is_active:
        return deferred("账号已停用。")
    if enterprise_id is None:
        return None
    if person.enterprise_id != enterprise_id:
        return deferred("已不在原企业任职。")
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or not enterprise.is_active:
        return deferred("所在企业已停用。")
    return None


def hr_ids(enterprise_id: int | None) -> list[int]:
    """The active HR officers of an enterprise (who are told when one of their people is passed over)."""
    if enterprise_id is None:
        return []
    return list(db.session.scalars(select(User.id).where(
        User.enterprise_id == enterprise_id, User.is_active,
        exists().where(UserRole.user_id == User.id, UserRole.role == Role.HR.value))))


def tell_passed_over(person: User, enterprise_id: int | None, kind: str, what: str, reason: Deferred,
                     link: dict | None = None) -> None:
    """Message `person` and the HR officers of `enterprise_id`: `what` (e.g. the competition's name) passed
    `person` over for `reason`."""
    inbox.notify([person.id, *hr_ids(enterprise_id)], kind,
                 deferred("%(name)s 未被选入“%(what)s”（自动选择时核对了当时的账号、在职和企业状态）",
                          name=person.name, what=what),
                 body=reason, link=link)


def require_standing(person: User, enterprise_id: int | None) -> None:
    """A selection made by hand (a title award, an excellent pair) is refused for a person without
    standing now: RuleViolation naming the person and the reason."""
    problem = standing_problem(person, enterprise_id)
    if problem is not None:
        raise RuleViolation(_l("%(name)s 现在不能入选：%(reason)s", name=person.name, reason=str(problem)))
