"""Training on the home to-do lists (services/training/todos.py): each owner's programmes ended but not
finished (待结业) linked to the owner's list filtered; today's classes for an enrolled worker (to the class
page) and for the class assistant and the owner (to the sign-in board); the enterprise's coming
enrolments are no longer a to-do; the worker's quick links have 我的培训; the counts cost the same number
of queries whatever the rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for

from core import clock
from models import db
from models.training import FINISHED, WITHDRAWN
from services.messages.todos import todos_for
from tests.factories import WorkerFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory
from tests.querycount import count_queries

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def _todos(person) -> dict[str, object]:
    return {str(t.label): t for t in todos_for(person)}


def _ended(**owner):
    return ProgrammeFactory(starts_on=clock.today() - timedelta(days=20), ends_on=clock.today() - timedelta(days=1),
                            **owner)


def test_each_owner_sees_their_ended_programmes_to_finish(client, login, world):
    _ended(owner_level="enterprise", owner_enterprise=world.enterprise_a)
    _ended(owner_level="enterprise", owner_enterprise=world.enterprise_a, status=FINISHED)
    ProgrammeFactory(owner_level="enterprise", owner_enterprise=world.enterprise_a)  # still to come
    _ended(owner_level="town", owner_town=world.enterprise_a.town)
    _ended(owner_level="town", owner_town=world.enterprise_a.town)
    _ended()
    _ended(owner_level="enterprise", owner_enterprise=world.enterprise_b)
    db.session.commit()
    label = "已结束待结业的培训项目"
    assert _todos(world.hr_a)[label].count == 1
    assert _todos(world.town_a)[label].count == 2
    assert _todos(world.admin)[label].count == 1
    assert _todos(world.hr_a)[label].link == {"endpoint": "training.manage", "values": {"status": "to_finish"}}
    # the link lists exactly those
    login(client, world.hr_a)
    page = client.get("/training/manage?status=to_finish").text
    assert page.count('data-testid="programme-status"') == 1
    assert "待结业" in page


def test_enrolments_to_come_are_not_a_todo_for_hr(world):
    programme = ProgrammeFactory()
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    db.session.commit()
    assert "本企业职工待参加的培训报名" not in _todos(world.hr_a)


def test_todays_class_for_the_worker_the_assistant_and_the_owner(client, login, world):
    assistant = WorkerFactory(enterprise=world.enterprise_a)
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise=world.enterprise_a,
                                 starts_on=clock.today(), ends_on=clock.today() + timedelta(days=5))
    today = ClassFactory(programme=programme, starts_at=NOW - timedelta(hours=1), assistant=assistant)
    ClassFactory(programme=programme, starts_at=NOW + timedelta(days=2))
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    other = WorkerFactory(enterprise=world.enterprise_a)
    EnrolmentFactory(programme=programme, worker=other, status=WITHDRAWN)
    db.session.commit()
    mine = _todos(world.worker_a)["今天的培训班次"]
    assert mine.count == 1 and mine.urgent
    assert mine.link == {"endpoint": "training.my_attendance", "values": {"class_id": today.id}}
    assert "今天的培训班次" not in _todos(other)
    board = {"endpoint": "training.signin_board", "values": {"class_id": today.id}}
    assert _todos(assistant)["今天的培训班次（签到）"].link == board
    assert _todos(world.hr_a)["今天的培训班次（签到）"].link == board
    assert "今天的培训班次（签到）" not in _todos(world.hr_b)
    login(client, world.worker_a)
    home = client.get("/").text
    with client.application.test_request_context():
        assert url_for("training.my_attendance", class_id=today.id) in home


def test_a_class_yesterday_or_of_a_draft_is_not_today(world):
    programme = ProgrammeFactory(starts_on=clock.today() - timedelta(days=1))
    ClassFactory(programme=programme, starts_at=NOW - timedelta(days=1))
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    draft = ProgrammeFactory(status="draft", starts_on=clock.today())
    ClassFactory(programme=draft, starts_at=NOW)
    EnrolmentFactory(programme=draft, worker=world.worker_a)
    db.session.commit()
    assert "今天的培训班次" not in _todos(world.worker_a)


def test_the_worker_home_links_to_my_training(client, login, world):
    login(client, world.worker_a)
    section = client.get("/").text.split('data-testid="home-worker"', 1)[1]
    assert 'data-testid="home-my-training"' in section and "/training/mine" in section


@pytest.mark.parametrize("who", ["worker_a", "hr_a", "town_a", "admin"])
def test_the_counts_cost_the_same_queries_whatever_the_rows(world, who):
    person = getattr(world, who)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            programme = _ended(owner_level="enterprise", owner_enterprise=world.enterprise_a)
            live = ProgrammeFactory(owner_level="enterprise", owner_enterprise=world.enterprise_a,
                                    starts_on=clock.today())
            ClassFactory(programme=live, starts_at=NOW)
            EnrolmentFactory(programme=live, worker=world.worker_a)
            EnrolmentFactory(programme=programme, worker=WorkerFactory())
        db.session.commit()
        db.session.expire_all()
        with count_queries() as queries:
            todos_for(person)
        counts.append(queries.count)
    assert counts[0] == counts[1]
