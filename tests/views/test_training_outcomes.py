"""One outcome of a training enrolment everywhere the worker looks (services/training/outcomes.py):
"我的培训" shows 已结业 / 未结业 with the reason / 未开始 / 培训中 instead of the enrolment's "已报名", the growth
record says 未开始 before the first class, and the link to the certificates page says what the page is
called (我的培训结业)."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from models import db
from models.training import FINISHED
from services.growth.timeline import timeline
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory
from tests.training_completion_scene import finished_programme


def _outcome_cell(page: str, name: str) -> str:
    row = page.split(name, 1)[1].split("</tr>", 1)[0]
    return row.split('data-testid="enrolment-outcome"', 1)[1].split("</td>", 1)[0]


def test_my_training_shows_the_outcome_of_a_finished_programme(client, login, world):
    scene = finished_programme(world)
    name = scene["programme"].name
    login(client, world.worker_b)
    cell = _outcome_cell(client.get("/training/mine").text, name)
    assert "已结业" in cell and "已报名" not in cell
    short = ProgrammeFactory(name="安全生产轮训班", status=FINISHED, starts_on=clock.today() - timedelta(days=30),
                             ends_on=clock.today() - timedelta(days=20))
    EnrolmentFactory(programme=short, worker=world.worker_b, reason="学时不足")
    db.session.commit()
    cell = _outcome_cell(client.get("/training/mine").text, "安全生产轮训班")
    assert "未结业" in cell and "学时不足" in cell and "已报名" not in cell


def test_not_started_before_the_first_class_then_in_progress(client, login, world):
    programme = ProgrammeFactory(name="数控车工技能提升班", starts_on=clock.today() + timedelta(days=3))
    ClassFactory(programme=programme, starts_at=clock.now() + timedelta(days=3))
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    db.session.commit()
    login(client, world.worker_a)
    assert "未开始" in _outcome_cell(client.get("/training/mine").text, "数控车工技能提升班")
    (event,) = [e for e in timeline(world.worker_a) if e.kind == "training"]
    assert event.status == "未开始"
    with clock.frozen(clock.now() + timedelta(days=3, hours=1)):
        assert "培训中" in _outcome_cell(client.get("/training/mine").text, "数控车工技能提升班")
        (event,) = [e for e in timeline(world.worker_a) if e.kind == "training"]
        assert event.status == "培训中"


def test_the_link_names_the_certificates_page_by_its_title(client, login, world):
    login(client, world.worker_a)
    link = client.get("/training/mine").text.split('data-testid="my-certificates"', 1)[1].split("</a>", 1)[0]
    title = client.get("/training/my-certificates").text.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "我的培训结业" in link and "我的培训结业" in title


def test_growth_record_names_each_programmes_owner_and_hours_and_leaves_out_cancelled_ones(app, world):
    """The time line's training steps (one query of plain columns) name the owner as the programme page
    does (the enterprise, the town in the reader's language, 市总工会), add up the worker's own hours, and
    leave out a cancelled programme and an enrolment that is not confirmed."""
    from flask_babel import force_locale

    from models.training import CANCELLED, WAITLISTED

    worker = world.worker_b
    town = world.enterprise_b.town  # 池店镇
    owned = {"city": ProgrammeFactory(name="市级培训班"),
             "town": ProgrammeFactory(name="镇级培训班", owner_level="town", owner_town_id=town.id),
             "enterprise": ProgrammeFactory(name="企业培训班", owner_level="enterprise",
                                            owner_enterprise_id=world.enterprise_b.id)}
    enrolment = EnrolmentFactory(programme=owned["town"], worker=worker)
    lesson = ClassFactory(programme=owned["town"], starts_at=clock.now() - timedelta(hours=5))
    AttendanceFactory(training_class=lesson, enrolment=enrolment)
    AttendanceFactory(training_class=ClassFactory(programme=owned["town"], starts_at=clock.now() - timedelta(days=1)),
                      enrolment=enrolment)
    for programme in (owned["city"], owned["enterprise"]):
        EnrolmentFactory(programme=programme, worker=worker)
    EnrolmentFactory(programme=ProgrammeFactory(name="取消的培训班", status=CANCELLED), worker=worker)
    EnrolmentFactory(programme=ProgrammeFactory(name="候补的培训班"), worker=worker, status=WAITLISTED)
    EnrolmentFactory(programme=owned["city"], worker=world.worker_a)  # someone else's
    db.session.commit()
    with app.test_request_context():
        steps = {e.title: e for e in timeline(worker) if e.kind == "training"}
        assert set(steps) == {"市级培训班", "镇级培训班", "企业培训班"}
        assert steps["市级培训班"].detail == "班组长培训 · 市总工会 · 已完成 0.0 学时"
        assert steps["镇级培训班"].detail == "班组长培训 · 池店镇 · 已完成 8.0 学时"
        assert steps["镇级培训班"].status == "培训中" and steps["市级培训班"].status == "未开始"
        assert steps["企业培训班"].detail == "班组长培训 · 乙纺织有限公司 · 已完成 0.0 学时"
        assert {e.on for e in steps.values()} == {clock.today() + timedelta(days=10)}
        # the same kept statement for another worker: their own enrolment only
        assert [e.title for e in timeline(world.worker_a) if e.kind == "training"] == ["市级培训班"]
        with force_locale("en"):
            (step,) = [e for e in timeline(worker) if e.title == "镇级培训班"]
            assert "Chidian Town" in step.detail and "池店镇" not in step.detail
