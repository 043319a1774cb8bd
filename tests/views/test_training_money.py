"""Training upgrades, spending and figures over HTTP (blueprints/training/money.py)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import clock
from models import db
from models.skills import SkillLevelChange
from models.training import FINISHED, TrainingCost
from tests.factories import WorkerFactory
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory
from tests.querycount import count_queries

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with clock.frozen(NOW):
        yield


def test_hr_records_an_education_upgrade_and_a_refused_form_keeps_the_file(client, login, world):
    programme = ProgrammeFactory(name="镇街班组长培训")
    world.worker_a.education = "high_school"
    db.session.commit()
    login(client, world.hr_a)
    page = client.get(f"/workers/{world.worker_a.id}")
    assert f"/training/workers/{world.worker_a.id}/education" in page.text
    form = client.get(f"/training/workers/{world.worker_a.id}/education")
    assert "镇街班组长培训" in form.text and "高中" in form.text
    refused = client.post(f"/training/workers/{world.worker_a.id}/education", content_type="multipart/form-data",
                          data={"education": "college", "school": "", "graduated_on": "2026-07-01",
                                "programme_id": str(programme.id), "subsidy": "1,200",
                                "evidence": (io.BytesIO(PNG), "毕业证.png")})
    assert refused.status_code == 422 and "请填写毕业院校" in refused.text and "已上传：毕业证.png" in refused.text
    token = re.search(r'name="evidence_held" value="([0-9a-f]{32})"', refused.text).group(1)
    done = client.post(f"/training/workers/{world.worker_a.id}/education", content_type="multipart/form-data",
                       data={"education": "college", "school": "泉州职业技术大学", "graduated_on": "2026-07-01",
                             "programme_id": str(programme.id), "subsidy": "1,200", "evidence_held": token},
                       follow_redirects=True)
    assert "已登记学历提升" in done.text and "泉州职业技术大学" in done.text and "镇街班组长培训" in done.text
    db.session.refresh(world.worker_a)
    assert world.worker_a.education == "college"
    login(client, world.worker_a)
    assert "学历提升：大专" in client.get("/titles/growth", follow_redirects=True).text


def test_skill_certificate_form_links_a_programme_and_a_subsidy(client, login, world):
    programme = ProgrammeFactory(name="制鞋工技能提升班")
    db.session.commit()
    login(client, world.hr_a)
    assert "制鞋工技能提升班" in client.get(f"/workers/{world.worker_a.id}/skill-level").text
    response = client.post(f"/workers/{world.worker_a.id}/skill-level", data={
        "skill_level": "3", "certificate_no": "Y350582202611240000001", "issuing_body": "晋江市职业技能鉴定中心",
        "effective_date": "2026-11-01", "programme_id": str(programme.id), "subsidy": "600"})
    assert response.status_code == 302
    entry = db.session.scalar(db.select(SkillLevelChange).where(SkillLevelChange.user_id == world.worker_a.id))
    assert (entry.source_type, entry.source_id, entry.subsidy) == ("training_programme", programme.id, Decimal("600"))


def test_owner_records_costs_and_sees_budget_against_actual(client, login, world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 budget=Decimal("1000"))
    db.session.commit()
    login(client, world.hr_a)
    response = client.post(f"/training/programmes/{programme.id}/costs", content_type="multipart/form-data",
                           data={"category": "trainer_fee", "amount": "1,250.00", "funding_source": "enterprise",
                                 "spent_on": "2026-11-18", "note": "王老师课酬",
                                 "confirmation": (io.BytesIO(PNG), "确认件.png")}, follow_redirects=True)
    assert "已登记支出" in response.text and "超出预算" in response.text
    assert 'data-testid="spent-total">1,250' in response.text
    cost = db.session.scalar(db.select(TrainingCost))
    assert client.get(f"/training/programmes/{programme.id}/costs/{cost.id}/file").status_code == 200
    login(client, world.town_a)  # the level above: read-only
    page = client.get(f"/training/programmes/{programme.id}/spending")
    assert page.status_code == 200 and "cost-form" not in page.text and "王老师课酬" in page.text
    login(client, world.hr_a)
    programme.status = FINISHED
    db.session.commit()
    page = client.get(f"/training/programmes/{programme.id}/spending")
    assert f"/costs/{cost.id}/edit" not in page.text
    refused = client.post(f"/training/programmes/{programme.id}/costs/{cost.id}/delete", follow_redirects=True)
    assert "支出已定稿" in refused.text
    assert db.session.scalar(db.select(TrainingCost.id)) == cost.id


def _seed_figures(world, n):
    programme = ProgrammeFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id,
                                 starts_on=date(2026, 3, 1))
    for i in range(n):
        training_class = ClassFactory(programme=programme, starts_at=datetime(2026, 3, 2 + i, 1, tzinfo=UTC))
        worker = WorkerFactory(enterprise=world.enterprise_a)
        AttendanceFactory(training_class=training_class, enrolment=EnrolmentFactory(programme=programme, worker=worker))
    db.session.commit()


def test_figures_page_for_each_owner_with_its_export(client, login, world):
    _seed_figures(world, 3)
    login(client, world.town_a)
    page = client.get("/training/figures?year=2026")
    assert page.status_code == 200 and 'data-testid="figure-attendances">3<' in page.text
    assert "人次" in page.text and "不重复的人" in page.text
    login(client, world.town_b)
    assert 'data-testid="figure-attendances">0<' in client.get("/training/figures?year=2026").text
    login(client, world.admin)
    page = client.get(f"/training/figures?year=2026&town={world.enterprise_b.town_id}")
    assert 'data-testid="figure-attendances">0<' in page.text and 'name="town"' in page.text
    assert 'data-testid="figure-attendances">3<' in client.get("/training/figures?year=2026").text
    page = client.get(f"/training/figures?year=2026&enterprise={world.enterprise_a.id}")
    assert world.enterprise_a.name in page.text and 'data-testid="figure-attendances">0<' in page.text  # town-run
    export = client.get("/training/figures.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(export.data))["培训统计"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert values["参训人次"] == 3
    login(client, world.worker_a)
    assert client.get("/training/figures").status_code == 403


def test_figures_page_costs_the_same_queries_for_more_rows(client, login, world):
    login(client, world.admin)
    _seed_figures(world, 2)
    with count_queries() as few:
        client.get("/training/figures?year=2026")
    _seed_figures(world, 20)
    with count_queries() as many:
        assert 'data-testid="figure-attendances">22<' in client.get("/training/figures?year=2026").text
    assert many.count == few.count


def test_upgrade_and_cost_lists_cost_the_same_queries_for_more_rows(client, login, world):
    from models.training import EducationUpgrade

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                 name="排查用项目")

    def add(n):
        for _ in range(n):
            worker = WorkerFactory(enterprise=world.enterprise_a)
            db.session.add(EducationUpgrade(worker_id=worker.id, enterprise_id=world.enterprise_a.id,
                                            education="college", school="某大学", graduated_on=date(2026, 7, 1),
                                            programme_id=programme.id, subsidy=Decimal("100")))
            db.session.add(TrainingCost(programme_id=programme.id, category="venue", amount=Decimal("10"),
                                        funding_source="union", spent_on=date(2026, 7, 1)))
        db.session.commit()

    login(client, world.hr_a)
    add(2)
    counts = []
    for n in (0, 15):
        add(n)
        with count_queries() as upgrades_page:
            assert client.get("/training/upgrades").status_code == 200
        with count_queries() as costs_page:
            assert client.get(f"/training/programmes/{programme.id}/spending").status_code == 200
        counts.append((upgrades_page.count, costs_page.count))
    assert counts[0] == counts[1]
