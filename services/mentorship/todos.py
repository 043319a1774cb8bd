"""What mentoring puts on people's to-do lists (services.messages.todos): agreements and check-ins a
mentor or apprentice must confirm; an enterprise's overdue check-ins and assessments due. Each is one
indexed count query; HR's counts use the dashboard's own predicates (services.mentorship.reports), so
the to-do and the list its link opens always agree.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Date, and_, bindparam, func, or_, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.mentorship import CHECKIN_PENDING, PROPOSED, CheckIn, MentorPair, MentorshipSettings
from services.mentorship.reports import ASSESSMENT_LOOKAHEAD_DAYS, DAY_PARAMS, predicates
from services.mentorship.settings import SETTING_DEFAULTS
from services.messages.inbox import link_to
from services.messages.todos import ENTERPRISE, PERSON, Tally, Todo, enterprise_counter, person_params, todo_provider


@todo_provider("mentorship.people")
def people_todos(person) -> list[Tally]:
    """Mentor and apprentice: agreements waiting for their confirmation; the apprentice's check-ins to
    confirm or dispute."""

    def build():
        agreements = select(func.count(MentorPair.id)).where(
            MentorPair.status == PROPOSED,
            or_(and_(MentorPair.mentor_id == PERSON, MentorPair.mentor_confirmed_at.is_(None)),
                and_(MentorPair.apprentice_id == PERSON, MentorPair.apprentice_confirmed_at.is_(None))))
        checkins = (select(func.count(CheckIn.id)).join(MentorPair, MentorPair.id == CheckIn.pair_id)
                    .where(MentorPair.apprentice_id == PERSON, CheckIn.status == CHECKIN_PENDING))
        return select(agreements.scalar_subquery(), checkins.scalar_subquery())

    def make(agreements, checkins) -> list[Todo]:
        mine = link_to("mentorship.index")
        return [Todo(_l("待确认的带徒协议"), agreements or 0, mine), Todo(_l("待确认的带徒记录"), checkins or 0, mine)]

    return [Tally(("mentorship.people",), build, person_params(person), make)]


# HR's counts read the grace days in their own statement (no statement for the settings row).
_TODAY = bindparam("mentorship_today", type_=Date)


def _overdue_before(dialect: str):
    """SQL: the day before which an active pair's check-in is overdue (services.mentorship.terms.
    overdue_before): today less the settings' grace days, the default when no settings row was saved."""
    grace = func.coalesce(select(MentorshipSettings.grace_days).where(MentorshipSettings.id == 1)
                          .scalar_subquery(), SETTING_DEFAULTS["grace_days"])
    if dialect == "sqlite":
        return func.date(_TODAY, func.printf("-%d days", grace), type_=Date)
    return _TODAY - grace


@enterprise_counter("mentorship.enterprise")
def enterprise_todos(enterprise_id: int) -> list[Tally]:
    """HR: active pairs with an overdue check-in, and pairs due for their final assessment."""
    dialect = db.session.get_bind().dialect.name

    def build():
        named = predicates(days={**DAY_PARAMS, "overdue_before": _overdue_before(dialect)})
        return (select(func.count(MentorPair.id).filter(named["overdue"]),
                       func.count(MentorPair.id).filter(named["assessment_due"]))
                .where(MentorPair.enterprise_id == ENTERPRISE))

    def make(overdue, due) -> list[Todo]:
        return [Todo(_l("带徒记录逾期的结对"), overdue or 0, link_to("mentorship.pairs", filter="overdue"),
                     urgent=True),
                Todo(_l("待出师考核的结对"), due or 0, link_to("mentorship.pairs", filter="assessment_due"))]

    today = clock.today()
    params = {"enterprise_id": enterprise_id, _TODAY.key: today,
              DAY_PARAMS["assessment_by"].key: today + timedelta(days=ASSESSMENT_LOOKAHEAD_DAYS)}
    return [Tally(("mentorship.enterprise", dialect), build, params, make)]
