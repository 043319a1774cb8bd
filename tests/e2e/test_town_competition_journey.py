"""Browser journey of issue 14's town path on a phone (390x844) and a desktop: a town officer sets up a town
selection contest (镇街级) with prize money, opens it, appoints a judge of the city's pool, closes
registration, signs the marks off, publishes the 公示, finalises, and recommends the top 2 into a city
competition; the city sees the town's contest read-only with its counts and ranking. Workers' own entries
and the judge's marks are made through the services (their journeys have their own tests)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core import clock
from models import db
from models.competitions import CompetitionRegistration
from services.competitions import judging, registration, setup
from tests.e2e.conftest import login_through_form, logout, screenshot
from tests.e2e.test_owners_journeys import VIEWPORTS, sized_page  # noqa: F401  (the phone and desktop fixture)
from tests.factories import PASSWORD, EnterpriseFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory

pytestmark = pytest.mark.e2e

OPEN_TIME = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)
SCORING_TIME = datetime(2026, 5, 21, 2, 0, tzinfo=UTC)
FINAL_TIME = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


def log_out(page):
    logout(page)
    page.wait_for_url("**/login")


def test_a_town_runs_a_selection_contest_and_recommends_its_top_two(sized_page, world):  # noqa: F811
    page = sized_page
    assert set(VIEWPORTS) == {"phone", "desktop"}
    neighbour = EnterpriseFactory(name="丙鞋材有限公司", town=world.enterprise_a.town)
    workers = [WorkerFactory(enterprise=world.enterprise_a, name="林志强"),
               WorkerFactory(enterprise=neighbour, name="王丽娟"),
               WorkerFactory(enterprise=world.enterprise_a, name="陈建华")]
    db.session.commit()
    page.on("dialog", lambda dialog: dialog.accept())
    clock.set_now(OPEN_TIME)

    # The town officer creates the town's contest; the form states the town-level rules.
    login_through_form(page, world.town_a.username, PASSWORD)
    page.goto("/competitions/")
    page.get_by_test_id("new-town-contest").click()
    expect(page.get_by_test_id("owner-rules")).to_contain_text("镇街级")
    page.get_by_label("竞赛名称").fill("2026年甲镇针车工选拔赛")
    page.get_by_label("工种", exact=True).select_option(str(world.worker_a.trade_id))
    page.get_by_label("比赛日期").fill("2026-05-25")
    page.get_by_label("报名开始（北京时间）").fill("2026-05-10T09:00")
    page.get_by_label("报名截止（北京时间）").fill("2026-05-20T18:00")
    page.get_by_label("参赛名额").fill("20")
    page.get_by_label("实操评分项目").fill("针车 100")
    page.get_by_label("实操最少评委人数").fill("1")
    page.get_by_label("一等奖奖金（元）").fill("1,000")
    page.get_by_label("二等奖奖金（元）").fill("500")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/competitions/\d+$"))
    contest_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("button", name="发布报名").click()
    expect(page.get_by_text("已发布，职工可以在报名时间内报名。")).to_be_visible()
    screenshot(page, f"town-contest-open-{page.size}")

    # Workers of the town's enterprises enter themselves (their own journey is tested elsewhere).
    contest = setup.get_competition(world.town_a, contest_id)
    for worker in workers:
        registration.register(worker, contest, worker)
    db.session.commit()

    # After the window: the officer starts scoring and appoints a judge of the city's pool by name.
    clock.set_now(SCORING_TIME)
    page.goto(f"/competitions/{contest_id}")
    page.get_by_role("button", name="结束报名，开始评分").click()
    expect(page.get_by_text("报名已结束，开始评分。")).to_be_visible()
    page.goto(f"/competitions/{contest_id}/judges")
    page.locator("form input[type=text]").first.fill(world.judge.name)
    page.get_by_role("button", name="加入评委组").click()
    expect(page.get_by_text("已加入评委组。")).to_be_visible()
    db.session.expire_all()
    entries = db.session.scalars(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == contest_id).order_by(CompetitionRegistration.id)).all()
    for n, entry in enumerate(entries):
        judging.enter_theory_mark(world.town_a, entry, str(92 - n * 6))
        judging.enter_practical_marks(world.judge, entry, {entry.competition.items[0].id: str(92 - n * 6)})
    db.session.commit()

    # The officer signs off, publishes the 公示 and, after it, finalises; the ranking shows the prize money.
    page.goto(f"/competitions/{contest_id}/scores")
    page.get_by_role("button", name="确认成绩（之后不能再修改）").click()
    page.goto(f"/competitions/{contest_id}")
    page.get_by_role("button", name="发布成绩公示").click()
    expect(page.get_by_test_id("notice")).to_be_visible()
    clock.set_now(FINAL_TIME)
    page.goto(f"/competitions/{contest_id}")
    page.get_by_role("button", name="公示结束，确认最终结果").click()
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("林志强")
    expect(ranking.get_by_test_id("reward").first).to_contain_text("1,000")

    # Its top 2 go into the city's competition, entered by the officer through the city's own rules.
    city = CompetitionFactory(name="2026年晋江市针车工技能竞赛", trade=world.worker_a.trade, per_enterprise_cap=5)
    db.session.commit()
    page.goto(f"/competitions/{contest_id}")
    form = page.get_by_test_id("recommend-top")
    form.get_by_label("推荐到").select_option(str(city.id))
    form.get_by_label("推荐前几名").fill("2")
    form.get_by_role("button", name="推荐报名").click()
    expect(page.get_by_text("已推荐 2 名选手报名")).to_be_visible()
    db.session.expire_all()
    entered = db.session.scalars(select(CompetitionRegistration.worker_id).where(
        CompetitionRegistration.competition_id == city.id)).all()
    assert sorted(entered) == sorted([workers[0].id, workers[1].id])
    screenshot(page, f"town-contest-recommended-{page.size}")
    log_out(page)

    # The city sees the town's contest read-only: counts and ranking, none of the owner's buttons.
    login_through_form(page, world.admin.username, PASSWORD)
    page.goto(f"/competitions/{contest_id}")
    expect(page.get_by_test_id("overseer-view")).to_contain_text("只读")
    expect(page.get_by_test_id("entry-counts")).to_contain_text("3")
    expect(page.get_by_test_id("ranking")).to_contain_text("王丽娟")
    expect(page.get_by_test_id("admin-actions")).to_have_count(0)
    screenshot(page, f"town-contest-overseen-{page.size}")
    assert not page.console_errors, page.console_errors
