"""Training programmes through HTTP: HR creates a programme and a class typed in Beijing time, publishes
it, enrols a worker by number and from a list; a worker enrols and withdraws on the programme page; the
owner cancels with a reason; lists page with a constant number of queries; the tab bar has 培训."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from models import db
from models.training import CANCELLED, CONFIRMED, PUBLISHED, WAITLISTED, TrainingClass, TrainingProgramme
from services.training import enrolment
from tests.factories import WorkerFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory
from tests.querycount import count_queries

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def test_hr_creates_publishes_and_adds_a_class_in_beijing_time(client, login, world):
    login(client, world.hr_a)
    response = client.post("/training/new", data={
        "name": "恒信安全生产培训", "kind": "safety", "capacity": "20", "starts_on": "2026-06-01",
        "ends_on": "2026-06-30", "enrol_closes_at": "2026-05-25T18:00", "budget": "12,000.50",
        "funding_source": "enterprise", "completion_percent": "80", "self_enrol": "y", "assessment_required": "y"})
    assert response.status_code == 302
    programme = db.session.scalar(select(TrainingProgramme).where(TrainingProgramme.name == "恒信安全生产培训"))
    assert programme.owner_enterprise_id == world.enterprise_a.id and programme.budget == Decimal("12000.50")
    assert programme.enrol_closes_at == datetime(2026, 5, 25, 10, tzinfo=UTC)
    response = client.post(f"/training/{programme.id}/classes/new", data={
        "title": "消防器材使用", "day": "2026-06-02", "starts": "08:30", "ends": "11:30", "place": "二楼会议室",
        "hours": "3", "trainer": "李教官", "assistant_id_q": world.worker_a.name})
    assert response.status_code == 302
    made = db.session.scalar(select(TrainingClass).where(TrainingClass.programme_id == programme.id))
    assert made.starts_at == datetime(2026, 6, 2, 0, 30, tzinfo=UTC) and made.assistant_id == world.worker_a.id
    page = client.get(f"/training/{programme.id}").text
    assert "消防器材使用" in page and "08:30" in page and "甲企职工" in page
    response = client.post(f"/training/{programme.id}/publish", follow_redirects=True)
    assert "已发布" in response.text, response.text[response.text.find("alert"):][:300]
    db.session.expire_all()
    assert db.session.get(TrainingProgramme, programme.id).status == PUBLISHED


def test_a_refused_class_keeps_what_was_typed(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    login(client, world.hr_a)
    response = client.post(f"/training/{programme.id}/classes/new", data={
        "title": "超时课", "day": "2026-06-02", "starts": "09:00", "ends": "10:00", "hours": "2"})
    assert response.status_code == 200
    assert "学时不能超过上课时长" in response.text and "超时课" in response.text


def test_a_worker_enrols_and_withdraws_on_the_page(client, login, world):
    programme = ProgrammeFactory(capacity=1)
    ClassFactory(programme=programme)
    login(client, world.worker_a)
    page = client.get(f"/training/{programme.id}").text
    assert 'data-testid="enrol"' in page
    client.post(f"/training/{programme.id}/enrol")
    db.session.expire_all()
    own = enrolment.entry_of(world.worker_a, programme)
    assert own.status == CONFIRMED
    other = WorkerFactory(enterprise=world.enterprise_a)
    waiting = enrolment.enrol(other, programme, other)
    db.session.commit()
    assert "我的报名" in client.get(f"/training/{programme.id}").text
    assert programme.name in client.get("/training/mine").text
    client.post(f"/training/enrolments/{own.id}/withdraw")
    db.session.expire_all()
    assert db.session.get(type(waiting), waiting.id).status == CONFIRMED
    login(client, other)
    assert 'data-testid="promoted-notice"' in client.get("/training/mine").text


def test_ineligible_workers_read_why(client, login, world):
    programme = ProgrammeFactory(min_skill_level=6)
    login(client, world.worker_a)
    page = client.get(f"/training/{programme.id}").text
    assert 'data-testid="ineligible-reasons"' in page and "等级低于" in page
    assert 'data-testid="enrol"' not in page


def test_hr_enrols_by_number_and_from_a_list(client, login, world):
    programme = ProgrammeFactory(capacity=1)
    world.worker_a.employee_no = "A0001"
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0002", name="王二")
    db.session.commit()
    login(client, world.hr_a)
    assert client.post(f"/training/{programme.id}/enrol-workers", data={"employee_no": "ａ０００１"}).status_code == 302
    assert enrolment.entry_of(world.worker_a, programme).status == CONFIRMED
    out = io.StringIO()
    csv.writer(out).writerows([["工号", "姓名"], ["A0002", "王二"], ["A0099", ""]])
    response = client.post(f"/training/{programme.id}/enrol-workers/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(out.getvalue().encode()), "名单.csv")})
    assert response.status_code == 200
    assert 'data-testid="enrol-outcomes"' in response.text and "候补" in response.text
    assert "本企业没有工号为“A0099”的职工" in response.text


def test_the_owner_cancels_with_a_reason(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    login(client, world.hr_a)
    client.post(f"/training/{programme.id}/cancel", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(TrainingProgramme, programme.id).status == PUBLISHED
    client.post(f"/training/{programme.id}/cancel", data={"reason": "场地检修"})
    db.session.expire_all()
    assert db.session.get(TrainingProgramme, programme.id).status == CANCELLED
    login(client, world.worker_a)
    assert "已取消" in client.get("/messages/").text


def _queries(client, url):
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count


def test_lists_do_not_grow_with_rows(client, login, world):
    login(client, world.worker_a)
    counts = []
    for total in (5, 30):
        for _ in range(total - (5 if counts else 0)):
            programme = ProgrammeFactory()
            EnrolmentFactory(programme=programme, worker=world.worker_a, status=WAITLISTED)
        db.session.commit()
        counts.append((_queries(client, "/training/"), _queries(client, "/training/mine")))
    assert counts[0] == counts[1]


def test_the_enrolment_list_does_not_grow_with_rows(client, login, world):
    login(client, world.admin)
    counts = []
    for size in (5, 40):
        programme = ProgrammeFactory(capacity=size)
        ClassFactory(programme=programme)
        for index in range(size):
            EnrolmentFactory(programme=programme, worker=WorkerFactory(), status=WAITLISTED if index % 2 else CONFIRMED)
        db.session.commit()
        counts.append(_queries(client, f"/training/{programme.id}"))
    assert counts[0] == counts[1]


def test_the_classes_table_does_not_grow_with_classes(client, login, world):
    """The programme page's classes, each with its own class assistant (whose name is shown), cost the same
    queries for 2 and 30 classes; the owner sees each class's attendance link, an assistant only their own."""
    login(client, world.hr_a)
    counts = []
    for size in (2, 30):
        programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
        assistants = [WorkerFactory(enterprise=world.enterprise_a, name=f"助理{size}-{index}") for index in range(size)]
        lessons = [ClassFactory(programme=programme, assistant=assistant,
                                starts_at=NOW + timedelta(days=10, hours=index))
                   for index, assistant in enumerate(assistants)]
        db.session.commit()
        counts.append(_queries(client, f"/training/{programme.id}"))
        page = client.get(f"/training/{programme.id}").text
        assert all(assistant.name in page for assistant in assistants)
        assert all(f'data-testid="attendance-{lesson.id}"' in page for lesson in lessons)
    assert counts[0] == counts[1]
    login(client, assistants[3])
    page = client.get(f"/training/{programme.id}").text
    assert f'data-testid="attendance-{lessons[3].id}"' in page
    assert f'data-testid="attendance-{lessons[4].id}"' not in page


def test_the_tab_bar_has_training(client, login, world):
    login(client, world.worker_a)
    bar = client.get("/training/").text.split('data-testid="tab-bar"', 1)[1].split("</nav>", 1)[0]
    labels = ["首页", "五小", "竞赛", "培训", "档案"]
    assert [label for label in labels if label in bar] == labels
    assert bar.index("竞赛") < bar.index("培训") < bar.index("档案")


def test_todos_for_a_class_tomorrow(client, login, world):
    programme = ProgrammeFactory()
    ClassFactory(programme=programme, starts_at=NOW + timedelta(days=1))
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    db.session.commit()
    from services.messages.todos import todos_for

    labels = {str(t.label): t.count for t in todos_for(world.worker_a)}
    assert labels.get("明天要上的培训课") == 1


def test_hr_reads_only_their_enterprise_in_the_kept_and_the_searched_list(client, login, world):
    # a city programme: the HR of enterprise B reads B's enrolments only, as the list opens (a kept statement,
    # the scope a bind parameter), filtered by status, and searched (the statement built each time)
    programme = ProgrammeFactory()
    ours = WorkerFactory(enterprise=world.enterprise_b, name="乙厂学员")
    theirs = WorkerFactory(enterprise=world.enterprise_a, name="甲厂学员")
    EnrolmentFactory(programme=programme, worker=ours, status=CONFIRMED)
    EnrolmentFactory(programme=programme, worker=theirs, status=CONFIRMED)
    db.session.commit()
    login(client, world.hr_b)
    ours_row, theirs_row = 'class="cell-primary">乙厂学员', 'class="cell-primary">甲厂学员'
    for query in ("", "?status=confirmed", "?q=乙厂学员"):
        page = client.get(f"/training/{programme.id}{query}").text
        assert ours_row in page and theirs_row not in page, query
    assert ours_row not in client.get(f"/training/{programme.id}?status=waitlisted").text
    assert theirs_row not in client.get(f"/training/{programme.id}?q=甲厂学员").text
