"""Training tryout findings (part A) through HTTP: the new-programme form's defaults are valid; the
programme page offers 签到 only for the class whose sign-in window is now and marks the class under way;
the sign-in board and the attendance list lead back to the programme; the class assistant picker answers
text naming several people beside the field and names whom it resolved; the training list puts
programmes open for enrolment first and cancelled ones last."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core import clock
from models import db
from models.training import CANCELLED, FINISHED, SKILLS_UPGRADE, TrainingClass, TrainingProgramme
from tests.factories import WorkerFactory
from tests.factories_training import ClassFactory, ProgrammeFactory

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def _selected(page: str, name: str) -> str:
    """The value of the option a <select name=...> shows as chosen (the first one when none is marked)."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r"<option([^>]*)>", select_html)
    chosen = next((o for o in options if "selected" in o), options[0])
    return re.search(r'value="([^"]*)"', chosen).group(1)


def test_the_new_programme_form_never_refuses_its_own_defaults(client, login, world):
    login(client, world.hr_a)
    page = client.get("/training/new").text
    assert _selected(page, "kind") == ""  # no kind preselected (技能提升 would need a target level)
    assert "技能提升培训必填" in page
    typed = {"name": "新建试用培训", "capacity": "10", "starts_on": "2026-06-01", "ends_on": "2026-06-02",
             "completion_percent": "80", "funding_source": _selected(page, "funding_source"),
             "target_level": _selected(page, "target_level")}
    refused = client.post("/training/new", data=typed)
    assert refused.status_code == 200 and "请选择培训类型" in refused.text and "请填写目标等级" not in refused.text
    made = client.post("/training/new", data={**typed, "kind": "safety"})
    assert made.status_code == 302
    assert db.session.scalar(select(TrainingProgramme).where(TrainingProgramme.name == "新建试用培训")) is not None


def test_only_the_class_signing_in_now_offers_signin_and_the_one_under_way_is_marked(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 30))
    def at(start: timedelta, hours: int = 3):
        return ClassFactory(programme=programme, starts_at=NOW + start, ends_at=NOW + start + timedelta(hours=hours))

    past, now, soon, later = (at(timedelta(days=-3)), at(timedelta(minutes=-20)), at(timedelta(minutes=20)),
                              at(timedelta(days=7)))
    login(client, world.hr_a)
    page = client.get(f"/training/{programme.id}").text
    primary = set(re.findall(r'class="btn btn-primary[^"]*" href="[^"]*" data-testid="signin-board-(\d+)"', page))
    assert primary == {str(now.id), str(soon.id)}  # soon: its window opened 10 minutes ago
    assert page.count('data-testid="under-way"') == 1
    assert re.search(rf'class="table-warning class-under-way" data-testid="class-{now.id}"', page)
    for training_class in (past, later):  # still reachable, behind 更多, with the other actions
        assert f'data-testid="signin-board-{training_class.id}"' in page
    assert page.count('class="class-more"') == 4


def test_the_board_and_the_attendance_list_lead_back_to_the_programme(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    training_class = ClassFactory(programme=programme)
    login(client, world.hr_a)
    back = f'href="/training/{programme.id}#classes"'
    board = client.get(f"/training/classes/{training_class.id}/signin").text
    listing = client.get(f"/training/classes/{training_class.id}/attendance").text
    assert back in board and back in listing
    assert 'class="btn btn-outline-primary" href="/training/classes/' in board  # 签到名单 as a button
    assert 'data-testid="to-signin-board"' in listing and 'data-testid="sign-in-sheet"' in listing


def test_the_assistant_picker_asks_when_several_match_and_names_whom_it_resolved(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    WorkerFactory(enterprise=world.enterprise_a, name="陈志强")
    WorkerFactory(enterprise=world.enterprise_a, name="陈志明")
    db.session.commit()
    login(client, world.hr_a)
    typed = {"title": "第1讲", "day": "2026-06-02", "starts": "09:00", "ends": "12:00", "hours": "3"}
    refused = client.post(f"/training/{programme.id}/classes/new", data={**typed, "assistant_id_q": "陈志"})
    assert refused.status_code == 200 and "有多个结果符合" in refused.text
    assert db.session.scalar(select(TrainingClass).where(TrainingClass.programme_id == programme.id)) is None
    saved = client.post(f"/training/{programme.id}/classes/new", data={**typed, "assistant_id_q": "陈志强"},
                        follow_redirects=True)
    assert "班级助理：陈志强" in saved.text  # the owner reads whom the text named


def test_the_list_puts_open_programmes_first_and_cancelled_last(client, login, world):
    cancelled = ProgrammeFactory(status=CANCELLED, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 30))
    finished = ProgrammeFactory(status=FINISHED, starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 5))
    upcoming = ProgrammeFactory(enrol_opens_at=NOW + timedelta(days=3), starts_on=date(2026, 7, 1),
                                ends_on=date(2026, 7, 5))
    open_late = ProgrammeFactory(starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 5))
    open_soon = ProgrammeFactory(kind=SKILLS_UPGRADE, target_level=3, starts_on=date(2026, 6, 1),
                                 ends_on=date(2026, 6, 5))
    login(client, world.worker_a)
    page = client.get("/training/").text
    order = [p.name for p in (open_soon, open_late, upcoming, finished, cancelled)]
    assert sorted(order, key=page.index) == order
    assert '<td class="cell-primary"><a href="/training/' in page  # the title leads every card alike
