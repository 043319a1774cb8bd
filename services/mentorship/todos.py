"""What mentoring puts on people's to-do lists (services.messages.todos): agreements and check-ins a
mentor or apprentice must confirm; an enterprise's overdue check-ins and assessments due. Each is one
indexed count query; HR's counts use the dashboard's own predicates (services.mentorship.reports), so
the to-do and the list its link opens always agree.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from core.l10n import lazy_gettext as _l
from models.mentorship import CHECKIN_PENDING, PROPOSED, CheckIn, MentorPair
from services.mentorship.reports import DAY_PARAMS, day_params, predicates
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


@enterprise_counter("mentorship.enterprise")
def enterprise_todos(enterprise_id: int) -> list[Tally]:
    """HR: active pairs with an overdue check-in, and pairs due for their final assessment."""

    def build():
        named = predicates(days=DAY_PARAMS)
        return (select(func.count(MentorPair.id).filter(named["overdue"]),
                       func.count(MentorPair.id).filter(named["assessment_due"]))
                .where(MentorPair.enterprise_id == ENTERPRISE))

    def make(overdue, due) -> list[Todo]:
        return [Todo(_l("带徒记录逾期的结对"), overdue or 0, link_to("mentorship.pairs", filter="overdue"),
                     urgent=True),
                Todo(_l("待出师考核的结对"), due or 0, link_to("mentorship.pairs", filter="assessment_due"))]

    return [Tally(("mentorship.enterprise",), build, {"enterprise_id": enterprise_id, **day_params()}, make)]
