"""Account activation: codes hashed and replaced, expiry, the privacy notice, no login before activation,
resets issue a code, slips as a PDF (in the request and as a background job)."""

from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from core import clock
from models import ActivationCode, AuditLog, Role, User, db
from models.jobs import Job
from services.accounts import activation, authentication, people, slips
from services.accounts.people import Profile
from services.common import verification
from services.errors import NotAllowed, NotFound, RuleViolation
from services.jobs import queue
from tests.factories import PASSWORD

NEW_PASSWORD = "Spring-Loom-2026"
URL = "https://jx.example.cn/activate"


def new_worker(actor, phone="13655557001", name="新来的"):
    worker = people.create_account(actor, Profile(
        name=name, phone=phone, employee_no="A" + phone[-4:], trade_id=actor.trade_id or _trade(),
        skill_level=1, hire_date=date(2020, 1, 1), birth_date=date(1995, 1, 1),
        enterprise_id=actor.enterprise_id, roles={Role.WORKER}))
    db.session.flush()
    return worker


def _trade():
    from tests.factories import TradeFactory

    return TradeFactory().id


def code_row(person) -> ActivationCode:
    return db.session.scalar(db.select(ActivationCode).where(ActivationCode.user_id == person.id))


def actions():
    return [row.action for row in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]


class TestNotActivated:
    def test_created_accounts_are_not_activated_and_cannot_log_in(self, world):
        worker = new_worker(world.hr_a)
        assert not worker.is_activated
        with pytest.raises(RuleViolation, match="账号尚未开通，请用开通通知单上的开通码开通"):
            authentication.authenticate(worker.phone, "")
        with pytest.raises(RuleViolation, match="尚未开通"):
            authentication.authenticate(worker.phone, PASSWORD)
        assert "auth.login_refused_not_activated" in actions()

    def test_demo_style_accounts_with_a_password_are_activated(self, world):
        worker = people.create_account(world.admin, Profile(
            name="演示", phone="13655557009", enterprise_id=world.enterprise_a.id, employee_no="D9",
            trade_id=world.worker_a.trade_id, skill_level=1, roles={Role.WORKER}), password=NEW_PASSWORD)
        assert worker.is_activated
        assert authentication.authenticate(worker.phone, NEW_PASSWORD).id == worker.id


class TestIssuing:
    def test_codes_are_stored_only_as_keyed_hashes(self, world, app):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        compact = verification.normalise(issued.code)
        assert len(compact) == 12 and set(compact) <= set(verification.ALPHABET)
        assert issued.code.count("-") == 2
        row = code_row(worker)
        assert compact not in row.code_hash and issued.code not in row.code_hash
        assert len(row.code_hash) == 64 and row.code_hash == activation.code_hash(issued.code.lower())
        app.config["SECRET_KEY"], key = "another-secret", app.config["SECRET_KEY"]
        try:
            assert activation.code_hash(issued.code) != row.code_hash
        finally:
            app.config["SECRET_KEY"] = key
        entry = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "account.activation_code_issued"))
        assert entry.actor_id == world.hr_a.id and entry.object_id == worker.id
        assert compact not in str(entry.detail) and issued.code not in str(entry.detail)

    def test_reissue_replaces_the_old_code(self, world):
        worker = new_worker(world.hr_a)
        [first] = activation.issue_codes(world.hr_a, [worker])
        [second] = activation.issue_codes(world.hr_a, [worker])
        assert first.code != second.code
        assert db.session.scalar(db.select(db.func.count(ActivationCode.id))) == 1
        with pytest.raises(RuleViolation, match="手机号或开通码不正确"):
            activation.check_code(worker.phone, first.code)
        assert activation.check_code(worker.phone, second.code).user_id == worker.id

    def test_hr_issues_only_for_own_people_and_not_for_activated_ones(self, world):
        other = new_worker(world.hr_b, phone="13655557002")
        with pytest.raises(NotFound):
            activation.issue_codes(world.hr_a, [other])
        with pytest.raises(RuleViolation, match="已开通"):
            activation.issue_codes(world.hr_a, [world.worker_a])
        with pytest.raises(NotAllowed):
            activation.issue_codes(world.worker_a, [other])
        assert len(activation.issue_codes(world.admin, [other])) == 1

    def test_expiry_follows_the_setting(self, world, app):
        worker = new_worker(world.hr_a)
        start = clock.now()
        with clock.frozen(start):
            [issued] = activation.issue_codes(world.hr_a, [worker])
        assert app.config["ACTIVATION_CODE_DAYS"] == 30
        assert issued.expires_at == start + timedelta(days=30)
        with clock.frozen(start + timedelta(days=29, hours=23)):
            activation.check_code(worker.phone, issued.code)
        with clock.frozen(start + timedelta(days=30, seconds=1)), pytest.raises(RuleViolation, match="开通码已过期"):
            activation.check_code(worker.phone, issued.code)


class TestActivating:
    def test_the_whole_way_records_the_privacy_notice(self, world, app):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        ticket = activation.check_code(" " + worker.phone, issued.code.replace("-", " ").lower())
        moment = clock.now().replace(microsecond=0)
        with clock.frozen(moment):
            activated = activation.activate(ticket, accepted_version=app.config["PRIVACY_NOTICE_VERSION"],
                                            password=NEW_PASSWORD)
        assert activated.id == worker.id and worker.activated_at == moment
        assert worker.privacy_notice_version == "2026-11b" and worker.privacy_accepted_at == moment
        assert code_row(worker).used_at == moment
        assert authentication.authenticate(worker.phone, NEW_PASSWORD).id == worker.id
        with pytest.raises(RuleViolation, match="已经用过"):
            activation.check_code(worker.phone, issued.code)
        assert "account.activated_with_code" in actions()

    def test_notice_must_be_accepted_in_its_current_version(self, world, app):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        ticket = activation.check_code(worker.phone, issued.code)
        for version in (None, "2020-01"):
            with pytest.raises(RuleViolation) as refused:
                activation.activate(ticket, accepted_version=version, password=NEW_PASSWORD)
            assert refused.value.field == "accept"
        with pytest.raises(RuleViolation, match="太常见"):
            activation.activate(ticket, accepted_version=activation.notice_version(), password="password123")
        assert not worker.is_activated and code_row(worker).used_at is None

    def test_wrong_phone_or_code_get_one_message(self, world):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        messages = set()
        for phone, code in ((worker.phone, "2345-6789-ABCD"), ("13699990000", issued.code), ("", issued.code),
                            (world.worker_a.phone, issued.code)):
            with pytest.raises(RuleViolation) as refused:
                activation.check_code(phone, code)
            messages.add(str(refused.value.message))
        assert messages == {"手机号或开通码不正确。"}

    def test_a_ticket_stops_working_when_the_code_is_reissued(self, world):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        ticket = activation.check_code(worker.phone, issued.code)
        activation.issue_codes(world.hr_a, [worker])
        with pytest.raises(RuleViolation):
            activation.activate(ticket, accepted_version=activation.notice_version(), password=NEW_PASSWORD)

    def test_a_deactivated_account_cannot_be_activated(self, world):
        worker = new_worker(world.hr_a)
        [issued] = activation.issue_codes(world.hr_a, [worker])
        people.set_active(world.admin, worker, False)
        with pytest.raises(RuleViolation, match="已停用"):
            activation.check_code(worker.phone, issued.code)


class TestReset:
    def test_reset_issues_a_code_and_ends_sessions(self, world):
        session_id = world.worker_a.get_id()
        issued = activation.reset_password(world.admin, world.worker_a)
        db.session.commit()
        assert authentication.load_session_user(session_id) is None
        assert not world.worker_a.is_activated
        with pytest.raises(RuleViolation, match="尚未开通"):
            authentication.authenticate(world.worker_a.username, PASSWORD)
        ticket = activation.check_code(world.worker_a.phone, issued.code)
        activation.activate(ticket, accepted_version=activation.notice_version(), password=NEW_PASSWORD)
        assert authentication.authenticate(world.worker_a.username, NEW_PASSWORD).id == world.worker_a.id
        assert "account.password_reset" in actions()

    def test_hr_resets_own_people_only(self, world):
        with pytest.raises(NotFound):
            activation.reset_password(world.hr_a, world.worker_b)
        with pytest.raises(NotAllowed):
            activation.reset_password(world.worker_a, world.worker_a)
        assert activation.reset_password(world.hr_a, world.worker_a).person.id == world.worker_a.id


class TestSlips:
    def test_pdf_carries_name_login_code_and_expiry(self, world):
        workers = [new_worker(world.hr_a, phone=f"1365555{7100 + n}", name=f"职工{n}") for n in range(9)]
        data = slips.issue_slips(world.hr_a, workers, URL)
        reader = PdfReader(__import__("io").BytesIO(data))
        assert len(reader.pages) == 2  # eight slips per page
        text = "".join(page.extract_text() for page in reader.pages)
        for worker in workers:
            assert worker.name in text and worker.phone in text
        row = code_row(workers[0])
        expiry = row.expires_at.astimezone(clock.SHANGHAI).date().isoformat()
        assert expiry in text
        printed = [word for word in text.split() if len(word) == 14 and word.count("-") == 2]
        assert any(activation.code_hash(code) == row.code_hash for code in printed)

    def test_batch_selects_people_not_activated_in_scope(self, world):
        mine = new_worker(world.hr_a)
        new_worker(world.hr_b, phone="13655557003")
        assert [p.id for p in db.session.scalars(slips.slip_people_query(world.hr_a))] == [mine.id]
        assert slips.slip_count(world.hr_a) == 1 and slips.slip_count(world.admin) == 2
        assert slips.slip_count(world.hr_a, search="新来") == 1 and slips.slip_count(world.hr_a, search="无此人") == 0
        with pytest.raises(RuleViolation, match="没有尚未开通的人员"):
            slips.batch_slips(world.hr_a, search="无此人", url=URL)

    def test_a_batch_skips_valid_codes_unless_reissuing_and_lists_the_code_states(self, world, app):
        fresh, expired, none = (new_worker(world.hr_a, phone=f"1365555{7300 + n}", name=f"码{n}") for n in range(3))
        activation.issue_codes(world.hr_a, [fresh, expired])
        db.session.flush()
        db.session.execute(db.update(ActivationCode).where(ActivationCode.user_id == expired.id)
                           .values(expires_at=clock.now() - timedelta(days=1)))
        assert [p.id for p in db.session.scalars(slips.slip_people_query(world.hr_a))] == [expired.id, none.id]
        assert slips.slip_count(world.hr_a) == 2 and slips.slip_count(world.hr_a, reissue=True) == 3
        listed = list(db.session.scalars(slips.slip_people_query(world.hr_a, reissue=True)))
        states = {key: state for key, (state, _until) in slips.code_states(listed).items()}
        assert states == {fresh.id: "valid", expired.id: "expired", none.id: "none"}
        activation.issue_codes(world.hr_a, [expired, none])
        with pytest.raises(RuleViolation, match="都持有有效的开通码"):
            slips.batch_slips(world.hr_a, search=None, url=URL)
        assert slips.batch_slips(world.hr_a, search=None, url=URL, reissue=True).startswith(b"%PDF")

    def test_big_batches_run_as_a_job(self, world, monkeypatch):
        for n in range(3):
            new_worker(world.hr_a, phone=f"1365555{7200 + n}", name=f"批量{n}")
        monkeypatch.setattr(slips, "INLINE_PEOPLE", 2)
        with pytest.raises(RuleViolation, match="后台"):
            slips.batch_slips(world.hr_a, search=None, url=URL)
        job = slips.start_slips_job(world.hr_a, search=None, url=URL, locale="zh_Hans_CN")
        db.session.commit()
        job = db.session.get(Job, job.id)
        assert job.status == "done", job.error
        _job, data = queue.job_file(world.hr_a, job.id)
        assert data.startswith(b"%PDF") and job.total == 3
        assert db.session.scalar(db.select(db.func.count(ActivationCode.id))) == 3
        with pytest.raises(NotAllowed):
            slips.start_slips_job(world.worker_a, search=None, url=URL, locale="zh_Hans_CN")


def test_not_activated_count_for_hr(world):
    new_worker(world.hr_a)
    new_worker(world.hr_a, phone="13655557004")
    assert activation.not_activated_count(world.enterprise_a.id) == 2
    assert activation.not_activated_count(world.enterprise_b.id) == 0
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.activated_at.is_(None))) == 2
