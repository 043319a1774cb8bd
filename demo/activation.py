"""Demo of account activation: new hires of both enterprises in every state, through the services.

- 郑新来 (A) and 罗佳怡 (B): created by HR, not activated, no code yet (HR prints their slips);
- 何春燕 (A): a code issued today, valid for ACTIVATION_CODE_DAYS;
- 曾宇航 (A): a code issued 40 days ago, expired (the activation page says so; HR reissues);
- 傅明 (A): activated with a code, privacy notice accepted; logs in with DEMO_PASSWORD.
"""

from __future__ import annotations

from datetime import date, timedelta

from core import clock
from models import Enterprise, Role, User, db
from services.accounts import activation, people
from services.accounts.people import Profile

# (name, phone, employee number, enterprise key, what happens)
NEW_HIRES = (
    ("郑新来", "13901000130", "A0130", "A", "none"),
    ("何春燕", "13901000131", "A0131", "A", "issued"),
    ("曾宇航", "13901000132", "A0132", "A", "expired"),
    ("傅明", "13901000133", "A0133", "A", "activated"),
    ("罗佳怡", "13902000130", "B0130", "B", "none"),
)


def seed() -> dict:
    """The new hires above, when missing; returns how many were added."""
    from demo.accounts import DEMO_PASSWORD, ENTERPRISES, demo_credit_code

    added = 0
    codes = {key: demo_credit_code(serial) for serial, (key, *_rest) in enumerate(ENTERPRISES, start=1)}
    for name, phone, employee_no, key, state in NEW_HIRES:
        if db.session.scalar(db.select(User.id).where(User.phone == phone)):
            continue
        enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == codes[key]))
        hr = db.session.scalar(db.select(User).where(User.username == f"hr_{key.lower()}"))
        colleague = db.session.scalar(db.select(User).where(User.enterprise_id == enterprise.id,
                                                            User.trade_id.is_not(None)).limit(1))
        person = people.create_account(hr, Profile(
            name=name, phone=phone, employee_no=employee_no, trade_id=colleague.trade_id, skill_level=1,
            hire_date=clock.today() - timedelta(days=20), birth_date=date(2000, 4, 8), roles={Role.WORKER}))
        if state == "expired":
            with clock.frozen(clock.now() - timedelta(days=40)):
                activation.issue_codes(hr, [person])
        elif state in ("issued", "activated"):
            [issued] = activation.issue_codes(hr, [person])
            if state == "activated":
                ticket = activation.check_code(phone, issued.code)
                activation.activate(ticket, accepted_version=activation.notice_version(), password=DEMO_PASSWORD)
        added += 1
    db.session.flush()
    return added
