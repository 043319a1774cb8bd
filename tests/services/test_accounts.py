"""Accounts service: login, sessions, account management by admins and HR, roles, audit."""

from datetime import date

import pytest

from models import AuditLog, Role, SkillLevelChange, User, UserRole, db
from services.accounts import authentication, people
from services.accounts.people import Profile
from services.errors import NotAllowed, NotFound, RuleViolation
from tests.factories import PASSWORD, EnterpriseFactory, TradeFactory


def audit_actions():
    return [row.action for row in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]


def worker_profile(trade_id=None, **overrides):
    values = {"name": "新职工", "phone": "13655551234", "employee_no": "N001", "trade_id": trade_id, "skill_level": 1,
                  "hire_date": date(2020, 1, 1), "birth_date": date(1995, 1, 1), "roles": {Role.WORKER}}
    values.update(overrides)
    return Profile(**values)


class TestAuthenticate:
    def test_by_username_or_phone(self, world):
        assert authentication.authenticate(world.hr_a.username, PASSWORD).id == world.hr_a.id
        assert authentication.authenticate(world.hr_a.username.upper(), PASSWORD).id == world.hr_a.id
        assert authentication.authenticate("+86 " + world.worker_a.phone, PASSWORD).id == world.worker_a.id
        assert audit_actions().count("auth.login") == 3

    def test_unknown_account_and_wrong_password_get_the_same_message(self, world):
        with pytest.raises(RuleViolation) as unknown:
            authentication.authenticate("no-such-user", PASSWORD)
        with pytest.raises(RuleViolation) as wrong:
            authentication.authenticate(world.hr_a.username, "wrong-password")
        assert str(unknown.value.message) == str(wrong.value.message) == "账号或密码不正确。"
        assert audit_actions() == ["auth.login_failed", "auth.login_failed"]

    def test_deactivated_account_and_enterprise_cannot_log_in(self, world):
        world.worker_a.is_active = False
        world.enterprise_b.is_active = False
        db.session.commit()
        for user in (world.worker_a, world.hr_b):
            with pytest.raises(RuleViolation, match="停用"):
                authentication.authenticate(user.username, PASSWORD)

    def test_session_loader_checks_the_token(self, world):
        session_id = world.hr_a.get_id()
        assert authentication.load_session_user(session_id).id == world.hr_a.id
        authentication.logout(world.hr_a)
        db.session.commit()
        assert authentication.load_session_user(session_id) is None
        assert authentication.load_session_user(world.hr_a.get_id()).id == world.hr_a.id
        assert authentication.load_session_user("garbage") is None
        assert authentication.load_session_user(f"{world.hr_a.id}:") is None


class TestPasswords:
    def test_change_needs_current_password_and_ends_other_sessions(self, world):
        old_session = world.worker_a.get_id()
        with pytest.raises(RuleViolation) as refused:
            authentication.change_password(world.worker_a, "wrong", "Brand-New-Pass-1")
        assert refused.value.field == "current_password"
        authentication.change_password(world.worker_a, PASSWORD, "Brand-New-Pass-1")
        db.session.commit()
        assert authentication.load_session_user(old_session) is None
        assert authentication.authenticate(world.worker_a.username, "Brand-New-Pass-1")

    def test_change_applies_the_policy(self, world):
        with pytest.raises(RuleViolation, match="太常见"):
            authentication.change_password(world.worker_a, PASSWORD, "password123")

class TestHRManagesOwnEnterprise:
    def test_hr_creates_worker_in_own_enterprise_whatever_the_form_says(self, world):
        trade = TradeFactory()
        profile = worker_profile(trade.id, enterprise_id=world.enterprise_b.id, roles={Role.ADMIN})
        worker = people.create_account(world.hr_a, profile)
        assert worker.enterprise_id == world.enterprise_a.id
        assert worker.roles == {Role.WORKER}
        assert not worker.is_activated and worker.password_hash.startswith("!")  # no password matches it
        history = db.session.scalars(db.select(SkillLevelChange).where(SkillLevelChange.user_id == worker.id)).all()
        assert [(h.level, h.reason) for h in history] == [(1, "initial")]

    def test_hr_cannot_reach_another_enterprise(self, world):
        with pytest.raises(NotFound):
            people.get_person(world.hr_a, world.worker_b.id)
        with pytest.raises(NotFound):
            people.update_account(world.hr_a, world.worker_b, worker_profile(world.worker_b.trade_id))
        assert people.get_person(world.hr_b, world.worker_b.id).id == world.worker_b.id

    def test_hr_cannot_edit_an_admin_of_own_enterprise(self, world):
        world.worker_a.role_rows.append(UserRole(role="admin"))
        db.session.commit()
        with pytest.raises(NotFound):
            people.update_account(world.hr_a, world.worker_a, worker_profile(world.worker_a.trade_id))

    def test_workers_and_judges_cannot_create_accounts(self, world):
        with pytest.raises(NotAllowed):
            people.create_account(world.worker_a, worker_profile(None))

    def test_people_query_is_scoped_in_sql(self, world):
        stmt = people.people_query(world.hr_a)
        assert "enterprise_id" in str(stmt)
        names = {u.name for u in db.session.scalars(stmt)}
        assert names == {"甲企人事", "甲企职工"}

    def test_account_rows_are_the_people_with_their_roles_in_grant_order(self, world):
        people.set_roles(world.admin, world.hr_a, {Role.HR, Role.JUDGE})  # granted after HR, before it in Role
        db.session.commit()
        for actor in (world.admin, world.hr_a):
            expected = list(db.session.scalars(people.people_query(actor)))
            rows = [people.AccountRow(*values) for values in db.session.execute(people.account_rows_query(actor))]
            assert [row.id for row in rows] == [u.id for u in expected]
            for row, person in zip(rows, expected, strict=True):
                assert [mark.role for mark in row.role_rows] == [r.role for r in person.role_rows]
                assert (row.name, row.login_name, row.is_active, row.activated_at) == (
                    person.name, person.login_name, person.is_active, person.activated_at)
                assert row.enterprise_name == (person.enterprise.name if person.enterprise else None)
        hr_row = next(r for r in rows if r.id == world.hr_a.id)
        assert [mark.role for mark in hr_row.role_rows] == ["hr", "judge"]


class TestProfileRules:
    @pytest.mark.parametrize("overrides, field, message", [
        ({"name": " "}, "name", "请填写姓名"),
        ({"phone": "12345"}, "phone", "11 位大陆手机号"),
        ({"phone": None, "username": None}, "phone", "至少填写一项"),
        ({"username": "1abc"}, "username", "字母开头"),
        ({"employee_no": None}, "employee_no", "工号"),
        ({"trade_id": None}, "trade_id", "工种"),
        ({"skill_level": None}, "skill_level", "技能等级"),
        ({"skill_level": 9}, "skill_level", "技能等级"),
        ({"birth_date": date(2100, 1, 1)}, "birth_date", "不能晚于今天"),
        ({"hire_date": date(2100, 1, 1)}, "hire_date", "不能晚于今天"),
        ({"birth_date": date(2010, 1, 1), "hire_date": date(2020, 1, 1)}, "hire_date", "16 周岁"),
    ])
    def test_each_rule_names_its_field(self, world, overrides, field, message):
        values = {"trade_id": TradeFactory().id, **overrides}
        with pytest.raises(RuleViolation) as refused:
            people.create_account(world.hr_a, worker_profile(**values))
        assert refused.value.field == field
        assert message in str(refused.value.message)

    def test_phone_username_and_employee_number_are_unique(self, world):
        trade = TradeFactory()
        for overrides, field in (({"phone": world.worker_b.phone}, "phone"),
                                 ({"username": world.worker_b.username.upper()}, "username"),
                                 ({"employee_no": world.worker_a.employee_no}, "employee_no")):
            with pytest.raises(RuleViolation) as refused:
                people.create_account(world.hr_a, worker_profile(trade.id, **overrides))
            assert refused.value.field == field
        # the same employee number in another enterprise is fine
        people.create_account(world.hr_a, worker_profile(trade.id, employee_no=world.worker_b.employee_no))

    def test_level_edit_is_recorded_as_a_correction(self, world):
        profile = worker_profile(world.worker_a.trade_id, phone=world.worker_a.phone,
                                 employee_no=world.worker_a.employee_no, skill_level=4)
        people.update_account(world.hr_a, world.worker_a, profile)
        entry = db.session.scalar(db.select(SkillLevelChange).where(SkillLevelChange.user_id == world.worker_a.id))
        assert (entry.previous_level, entry.level, entry.reason) == (2, 4, "correction")
        assert "account.updated" in audit_actions()

    def test_education_is_a_code_of_the_vocabulary_and_its_change_is_audited(self, world):
        profile = worker_profile(world.worker_a.trade_id, phone=world.worker_a.phone,
                                 employee_no=world.worker_a.employee_no, skill_level=world.worker_a.skill_level,
                                 education="college")
        people.update_account(world.hr_a, world.worker_a, profile)
        assert world.worker_a.education == "college"
        log = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "account.updated")).all()[-1]
        assert log.detail["changes"]["education"] == [None, "college"]
        profile.education = "小学"
        with pytest.raises(RuleViolation) as refused:
            people.update_account(world.hr_a, world.worker_a, profile)
        assert refused.value.field == "education"
        created = people.create_account(world.hr_a, worker_profile(world.worker_a.trade_id, education="bachelor"))
        assert created.education == "bachelor"


class TestRolesAndActivation:
    def test_grant_and_revoke_are_audited(self, world):
        people.set_roles(world.admin, world.worker_a, {Role.WORKER, Role.JUDGE})
        assert world.worker_a.roles == {Role.WORKER, Role.JUDGE}
        people.set_roles(world.admin, world.worker_a, {Role.JUDGE})
        assert world.worker_a.roles == {Role.JUDGE}
        assert audit_actions() == ["account.role_granted", "account.role_revoked"]

    def test_only_admins_change_roles(self, world):
        with pytest.raises(NotAllowed):
            people.set_roles(world.hr_a, world.worker_a, {Role.ADMIN})

    def test_admin_cannot_lock_themself_out(self, world):
        with pytest.raises(RuleViolation, match="自己的管理员角色"):
            people.set_roles(world.admin, world.admin, {Role.JUDGE})
        with pytest.raises(RuleViolation, match="自己的账号"):
            people.set_active(world.admin, world.admin, False)

    def test_worker_role_needs_an_enterprise(self, world):
        with pytest.raises(RuleViolation, match="所属企业"):
            people.set_roles(world.admin, world.admin, {Role.ADMIN, Role.HR})

    def test_deactivation_ends_sessions(self, world):
        session_id = world.worker_a.get_id()
        people.set_active(world.admin, world.worker_a, False)
        db.session.commit()
        assert authentication.load_session_user(session_id) is None
        assert "account.deactivated" in audit_actions()


def test_create_admin_from_cli_service(app):
    EnterpriseFactory()
    user = people.create_admin(Profile(name="管理员", username="boss"), "Strong-Admin-2026")
    assert user.roles == {Role.ADMIN}
    assert db.session.scalar(db.select(User).where(User.username == "boss")).id == user.id
