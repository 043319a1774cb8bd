"""A person's mentoring record (带徒档案): their pairs as mentor and as apprentice, the mentor's
credits and the excellent-pair honours, on one page (docs/domain.md, "Mentoring" and "The worker's
growth record"). Visible to the person, HR of their enterprise and union admins
(services.mentorship.policy.can_view_record)."""

from __future__ import annotations

from sqlalchemy import or_

from models import User, db
from models.mentorship import OPEN_STATUSES, MentorPair
from services.accounts import people
from services.mentorship import policy as mentorship_policy
from services.mentorship.credits import mentor_credits
from services.mentorship.excellent import excellent_honours


def person_record(actor, user_id: int) -> dict:
    """A person's mentoring record: pairs as mentor (current and past) and as apprentice (with
    outcomes), the mentor's credits and published excellent-pair honours ({pair id: year}), in a
    fixed number of queries. Raises NotFound for a person out of the actor's reach."""
    person = people.get_worker(actor, user_id, may_see=mentorship_policy.can_view_record)
    pairs = list(db.session.scalars(
        db.select(MentorPair).where(or_(MentorPair.mentor_id == person.id, MentorPair.apprentice_id == person.id))
        .options(db.joinedload(MentorPair.mentor).lazyload(User.role_rows),
                 db.joinedload(MentorPair.apprentice).lazyload(User.role_rows),
                 db.joinedload(MentorPair.trade), db.joinedload(MentorPair.assessment),
                 db.joinedload(MentorPair.enterprise))
        .order_by(MentorPair.start_date.desc(), MentorPair.id.desc())).unique())
    honours = excellent_honours([pair.id for pair in pairs])
    as_mentor = [p for p in pairs if p.mentor_id == person.id]
    return {
        "person": person,
        "current": [p for p in as_mentor if p.status in OPEN_STATUSES],
        "past": [p for p in as_mentor if p.status not in OPEN_STATUSES],
        "as_apprentice": [p for p in pairs if p.apprentice_id == person.id],
        "credits": mentor_credits(person) if as_mentor else [],
        "honours": honours,
    }
