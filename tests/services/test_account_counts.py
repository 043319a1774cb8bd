"""The home pages' counts (models.counts, services.accounts.dashboard) stay right, in the same
transaction, through account creation, role changes, deactivation, a move of enterprise and a new
skill level; and they equal a count from scratch (recount_accounts) after each step."""

from datetime import date

from models import AccountCount, Role, db
from models.counts import recount_accounts
from services.accounts import dashboard, people
from services.accounts.people import Profile
from services.common import skills

PASSWORD = "Sturdy-Pass-2026"


def stored() -> dict:
    return {(row.enterprise_id, row.key): row.n for row in db.session.scalars(db.select(AccountCount)) if row.n}


def assert_counts_match_a_recount() -> None:
    kept = stored()
    recount_accounts(db.session.connection())
    assert stored() == kept
    db.session.rollback()


def test_counts_follow_every_change(world):
    assert_counts_match_a_recount()
    before = dashboard.admin_summary()
    # the world's eight: two HR, two workers, a judge, an admin, two town officers
    assert before["accounts"] == 8 and before["per_role"][Role.TOWN] == 2
    assert before["per_role"][Role.WORKER] == 2 and before["per_role"][Role.JUDGE] == 1

    judge = people.create_account(world.admin, Profile(
        name="新评委", phone="13655550010", enterprise_id=world.enterprise_a.id, employee_no="J9",
        trade_id=world.worker_a.trade_id, skill_level=5, hire_date=date(2010, 1, 1),
        roles={Role.JUDGE, Role.WORKER}))
    db.session.commit()
    summary = dashboard.admin_summary()
    assert summary["accounts"] == 9 and summary["per_role"][Role.JUDGE] == 2 and summary["per_role"][Role.WORKER] == 3
    assert dashboard.enterprise_summary(world.enterprise_a.id) == {"workers": 2, "per_level": {2: 1, 5: 1}}
    assert_counts_match_a_recount()

    people.set_roles(world.admin, judge, {Role.JUDGE})  # no longer a worker
    db.session.commit()
    assert dashboard.admin_summary()["per_role"][Role.WORKER] == 2
    assert dashboard.enterprise_summary(world.enterprise_a.id)["per_level"] == {2: 1}
    assert_counts_match_a_recount()

    people.set_active(world.admin, world.worker_a, False)
    db.session.commit()
    summary = dashboard.admin_summary()
    assert summary["accounts"] == 8 and summary["per_role"][Role.WORKER] == 1
    assert dashboard.enterprise_summary(world.enterprise_a.id) == {"workers": 0, "per_level": {}}
    assert_counts_match_a_recount()

    people.set_active(world.admin, world.worker_a, True)
    skills.record_certificate(world.hr_a, world.worker_a, 3, "Y350582202611240000009", "晋江市职业技能鉴定中心",
                              date(2026, 1, 5))
    db.session.commit()
    assert dashboard.enterprise_summary(world.enterprise_a.id)["per_level"] == {3: 1}
    assert_counts_match_a_recount()

    people.update_account(world.admin, world.worker_a, Profile(
        name=world.worker_a.name, phone=world.worker_a.phone, enterprise_id=world.enterprise_b.id,
        employee_no="B-9", trade_id=world.worker_a.trade_id, skill_level=3))
    db.session.commit()
    assert dashboard.enterprise_summary(world.enterprise_a.id)["workers"] == 0
    assert dashboard.enterprise_summary(world.enterprise_b.id) == {"workers": 2, "per_level": {2: 1, 3: 1}}
    assert_counts_match_a_recount()


def test_a_refused_change_leaves_the_counts(world):
    kept = stored()
    try:
        people.set_roles(world.admin, world.admin, {Role.JUDGE})  # refused: an admin keeps their own role
    except Exception:  # noqa: BLE001 - the refusal itself is tested in test_accounts
        db.session.rollback()
    people.set_roles(world.admin, world.worker_b, {Role.WORKER, Role.JUDGE})
    db.session.rollback()  # the request failed later: the counts go back with it
    assert stored() == kept


def test_deleting_an_account_through_the_orm_counts_too(world):
    db.session.delete(world.judge)
    db.session.commit()
    assert dashboard.admin_summary()["per_role"][Role.JUDGE] == 0
    assert_counts_match_a_recount()
