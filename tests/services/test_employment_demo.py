"""The demo seed shows people who change employer in every state, and runs twice."""

from sqlalchemy import func, select

from demo import seed_demo
from models import Employment, Transfer, User, db
from models.employment import TRANSFER_COMPLETED, TRANSFER_PENDING
from services.accounts import employment


def test_demo_shows_a_transfer_in_progress_a_leave_and_a_completed_transfer():
    seed_demo()
    db.session.commit()
    seed_demo()
    db.session.commit()
    people = {u.name: u for u in db.session.scalars(select(User).where(User.phone.like("139030000%")))}
    moving, left, moved = people["许明亮"], people["蔡春燕"], people["施文杰"]
    assert db.session.scalar(select(Transfer.status).where(Transfer.user_id == moving.id)) == TRANSFER_PENDING
    assert left.enterprise_id is None and employment.history(left)[0].ended_on is not None
    assert db.session.scalar(select(Transfer.status).where(Transfer.user_id == moved.id)) == TRANSFER_COMPLETED
    assert len({e.enterprise_id for e in employment.history(moved)}) == 2
    staff_without_history = db.session.scalar(select(func.count(User.id)).where(
        User.enterprise_id.is_not(None), User.id.not_in(select(Employment.user_id))))
    assert staff_without_history == 0
    assert db.session.scalar(select(func.count(Transfer.id))) == 2
