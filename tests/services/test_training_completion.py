"""Completion of a training programme (services/training/completion.py, certificates.py): the assessment,
progress, finishing with certificates and messages, the public check and revocation, the growth record."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core import clock
from models import db
from models.audit import AuditLog
from models.messages import Message
from models.training import DRAFT, FINISHED
from services.common import verification
from services.errors import NotAllowed, NotFound, RuleViolation
from services.growth.timeline import timeline
from services.training import certificates, completion
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory
from tests.querycount import count_queries
from tests.training_completion_scene import finished_programme, ready_programme


def test_progress_sums_hours_and_needs_the_share_and_a_passed_assessment(world):
    scene = ready_programme(world)
    full, half = completion.progress(scene["full"]), completion.progress(scene["half"])
    assert (full.hours_attended, full.hours_required, full.total_hours) == (Decimal("8.0"), Decimal("6.4"),
                                                                             Decimal("8.0"))
    assert full.assessment == completion.PENDING and not full.complete  # the assessment is required
    assert half.hours_attended == Decimal("4.0") and half.hours_short
    completion.record_assessment(world.hr_b, scene["full"], True, "88.5")
    completion.record_assessment(world.hr_b, scene["half"], True, None)
    assert completion.progress(scene["full"]).complete
    assert not completion.progress(scene["half"]).complete  # 4 of 8 hours < 80%
    completion.record_assessment(world.hr_b, scene["full"], False, "40")
    assert not completion.progress(scene["full"]).complete


def test_without_an_assessment_the_hours_alone_decide(world):
    scene = ready_programme(world, assessment_required=False)
    assert completion.progress(scene["full"]).assessment == completion.NOT_REQUIRED
    assert completion.progress(scene["full"]).complete
    with pytest.raises(RuleViolation, match="不要求考核"):
        completion.record_assessment(world.hr_b, scene["full"], True)


def test_progress_of_a_whole_list_is_one_query(world):
    from tests.factories import WorkerFactory

    scene = ready_programme(world)
    programme = scene["programme"]
    enrolments = [scene["full"], scene["half"]]
    for _ in range(8):
        enrolment = EnrolmentFactory(programme=programme, worker=WorkerFactory(enterprise=world.enterprise_b))
        AttendanceFactory(training_class=scene["classes"][0], enrolment=enrolment)
        enrolments.append(enrolment)
    db.session.commit()
    for row in (programme, *enrolments):
        db.session.refresh(row)  # loaded as a page's rows are
    with count_queries() as queries:
        result = completion.progress_of(programme, enrolments)
    assert queries.count == 1 and len(result) == 10


def test_the_assessment_is_the_owners_checked_and_audited(world):
    scene = ready_programme(world)
    with pytest.raises(NotFound):
        completion.record_assessment(world.hr_a, scene["full"], True)  # another enterprise's programme
    with pytest.raises(NotAllowed):
        completion.record_assessment(world.town_b, scene["full"], True)  # the level above only reads
    with pytest.raises(RuleViolation, match="0 到 100"):
        completion.record_assessment(world.hr_b, scene["full"], True, "101")
    with pytest.raises(RuleViolation, match="请选择考核结果"):
        completion.record_assessment(world.hr_b, scene["full"], None)
    completion.record_assessment(world.hr_b, scene["full"], True, "92")
    assert scene["full"].assessment_score == Decimal("92") and scene["full"].assessed_by_id == world.hr_b.id
    assert db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "training.assessment_recorded")) == 1


def test_finishing_waits_for_the_last_class_and_a_published_programme(world):
    scene = ready_programme(world, days_ago=0)  # the second class ends just now
    programme = scene["programme"]
    with clock.frozen(clock.now() - timedelta(minutes=5)), pytest.raises(RuleViolation, match="还没有结束"):
        completion.finish_programme(world.hr_b, programme)
    programme.status = DRAFT
    with pytest.raises(RuleViolation, match="只有已发布"):
        completion.finish_programme(world.hr_b, programme)
    with pytest.raises(NotFound):
        completion.finish_programme(world.hr_a, programme)


def test_finishing_issues_certificates_records_the_others_and_tells_everyone(world):
    scene = finished_programme(world)
    programme, full, half = scene["programme"], scene["full"], scene["half"]
    assert programme.status == FINISHED and programme.finished_at is not None
    assert full.completed_at is not None and len(full.certificate_code) == verification.CODE_LENGTH
    assert half.completed_at is None and half.certificate_code is None
    assert completion.not_completed_reason(half) == "学时不足：已完成 4.0 学时，须达到 6.4 学时。"
    kinds = dict(db.session.execute(select(Message.recipient_id, Message.kind)).all())
    assert kinds == {world.worker_b.id: "training.completed", world.judge.id: "training.not_completed"}
    assert db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "training.programme_finished")) == {
        "completed": 1, "not_completed": 1}
    with pytest.raises(RuleViolation, match="已经结业"):
        completion.finish_programme(world.hr_b, programme)
    with pytest.raises(RuleViolation, match="不能再修改"):
        completion.record_assessment(world.hr_b, half, True)


def test_assessment_missing_or_failed_is_the_reason(world):
    scene = ready_programme(world)
    second = scene["classes"][1]
    AttendanceFactory(training_class=second, enrolment=scene["half"])
    completion.record_assessment(world.hr_b, scene["half"], False, "50")
    completion.finish_programme(world.hr_b, scene["programme"])
    reasons = [completion.not_completed_reason(scene[key]) for key in ("full", "half")]
    assert reasons == ["未参加考核。", "考核未通过。"]


def test_the_certificate_verifies_and_revocation_shows(world):
    scene = finished_programme(world)
    full = scene["full"]
    verdict = verification.verify(verification.grouped(full.certificate_code).lower())
    assert verdict.status == verification.VALID and verdict.holder == world.worker_b.name
    assert "班组长管理能力提升班" in verdict.awarded
    with pytest.raises(NotFound):
        certificates.revoke_certificate(world.hr_a, full, "弄虚作假")
    with pytest.raises(RuleViolation, match="撤销结业证书的理由"):
        certificates.revoke_certificate(world.hr_b, full, "  ")
    certificates.revoke_certificate(world.hr_b, full, "冒名顶替签到")
    db.session.commit()
    verdict = verification.verify(full.certificate_code)
    assert verdict.status == verification.REVOKED and verdict.revoked_on == clock.today()
    with pytest.raises(RuleViolation, match="已经撤销"):
        certificates.revoke_certificate(world.hr_b, full, "再次")
    assert db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "training.certificate_revoked")) == 1


def test_who_may_open_the_certificate(world):
    full = finished_programme(world)["full"]
    assert certificates.get_certificate(world.worker_b, full.id) is full
    assert certificates.get_certificate(world.hr_b, full.id) is full
    assert certificates.get_certificate(world.admin, full.id) is full
    for stranger in (world.worker_a, world.hr_a, world.town_a, world.judge):
        with pytest.raises(NotFound):
            certificates.get_certificate(stranger, full.id)


def test_the_pdf_names_the_holder_the_programme_and_the_code(app, world):
    full = finished_programme(world)["full"]
    with app.test_request_context():
        data = certificates.certificate_pdf(full, "https://example.org/verify?code=X")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "结业证书" in text and world.worker_b.name in text and "班组长管理能力提升班" in text
    assert verification.grouped(full.certificate_code) in text and "8.0" in text


def test_the_growth_record_shows_each_programme_across_employers(world):
    scene = finished_programme(world)
    # an earlier programme under another employer (enterprise A), still running
    other = ClassFactory(programme__name="新员工入职培训", programme__kind="new_employee",
                         starts_at=clock.now() - timedelta(hours=5))
    enrolment = EnrolmentFactory(programme=other.programme, worker=world.worker_b, enterprise_id=world.enterprise_a.id)
    AttendanceFactory(training_class=other, enrolment=enrolment, hours=Decimal("2.5"))
    db.session.commit()
    events = {e.title: e for e in timeline(world.worker_b) if e.kind == "training"}
    done = events["班组长管理能力提升班"]
    assert done.status == "已结业" and "8.0" in done.detail
    assert verification.grouped(scene["full"].certificate_code) in done.certificate
    assert done.certificate_link == ("training.certificate_pdf", {"enrolment_id": scene["full"].id})
    assert events["新员工入职培训"].status == "培训中" and "2.5" in events["新员工入职培训"].detail
    (short,) = [e for e in timeline(world.judge) if e.kind == "training"]
    assert short.status == "未结业" and "学时不足" in short.detail and short.certificate_link is None


def test_the_growth_records_training_is_one_query(world):
    from services.growth import timeline as growth

    finished_programme(world)
    for name in ("安全生产培训", "新员工入职培训"):
        other = ClassFactory(programme__name=name, programme__owner_level="enterprise",
                             programme__owner_enterprise_id=world.enterprise_a.id)
        EnrolmentFactory(programme=other.programme, worker=world.worker_b)
    db.session.commit()
    db.session.expire_all()
    worker = db.session.get(type(world.worker_b), world.worker_b.id)
    with count_queries() as queries:
        events = list(growth._training(worker))
    assert queries.count == 1 and len(events) == 3
    assert any(world.enterprise_a.name in e.detail for e in events)


def test_two_owners_finishing_at_once_finish_once(world):
    """The second of two concurrent finishes (its programme row read before the first committed) is refused
    by the guarded status change and writes nothing."""
    from sqlalchemy import update

    from models.training import TrainingProgramme

    scene = ready_programme(world, assessment_required=False)
    programme = scene["programme"]
    db.session.execute(update(TrainingProgramme).where(TrainingProgramme.id == programme.id)
                       .values(status=FINISHED).execution_options(synchronize_session=False))
    assert programme.status != FINISHED  # this session still sees it published
    with pytest.raises(RuleViolation, match="已经结业"):
        completion.finish_programme(world.hr_b, programme)
    assert scene["full"].certificate_code is None
