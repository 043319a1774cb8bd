"""Demo of people who change employer: every worker's open employment, one person mid-transfer
(A -> B, waiting for the person and for A's answer), one who left A, one who moved from A to B
(two employers in the history), one who declined a transfer B asked for
(拒绝调入). Through the services, relative to clock.now(); idempotent.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core import clock
from models import Employment, Role, Trade, User, UserRole, db
from services.accounts import employment, people, transfers

# (phone, name, story)
PEOPLE = (
    ("13903000001", "许明亮", "moving"),
    ("13903000002", "蔡春燕", "left"),
    ("13903000003", "施文杰", "moved"),
    ("13903000004", "王丽华", "declined"),
)


def _open_missing_employments() -> None:
    """Workers and HR with an employer but no employment yet (demo accounts are written directly)."""
    has_one = select(Employment.user_id)
    staff = select(UserRole.user_id).where(UserRole.role.in_((Role.WORKER.value, Role.HR.value)))
    for user in db.session.scalars(select(User).where(User.enterprise_id.is_not(None), User.id.in_(staff),
                                                      User.id.not_in(has_one)).order_by(User.id)):
        employment.open_employment(user)


def seed(password: str) -> dict:
    """Returns {"employment_people": how many of the three were added}."""
    _open_missing_employments()
    hr_a = db.session.scalar(select(User).where(User.username == "hr_a"))
    hr_b = db.session.scalar(select(User).where(User.username == "hr_b"))
    trade = db.session.scalar(select(Trade).where(Trade.name == "缝纫工"))
    added = 0
    for n, (phone, name, story) in enumerate(PEOPLE):
        if db.session.scalar(select(User.id).where(User.phone == phone)):
            continue
        person = people.create_account(hr_a, people.Profile(
            name=name, phone=phone, employee_no=f"A9{n:03d}", trade_id=trade.id, skill_level=2 + n,
            hire_date=date(2018, 3, 1), birth_date=date(1992, 4, 10 + n)), password=password)
        person.must_change_password = False
        db.session.flush()
        profile = people.Profile(name=name, phone=phone, employee_no=f"B9{n:03d}", trade_id=trade.id,
                                 hire_date=clock.today() - timedelta(days=20) if story == "moved" else clock.today())
        if story == "moving":
            transfers.start_transfer(hr_b, person, profile)
        elif story == "declined":
            transfers.decline(person, transfers.start_transfer(hr_b, person, profile))
        elif story == "left":
            employment.record_leave(hr_a, person, clock.today() - timedelta(days=30))
        else:
            transfer = transfers.start_transfer(hr_b, person, profile)
            transfers.answer(hr_a, transfer, still_employed=False, leave_date=clock.today() - timedelta(days=21))
            transfers.confirm(person, transfer)
        added += 1
    db.session.flush()
    return {"employment_people": added}
