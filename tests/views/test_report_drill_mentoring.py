"""The report's mentoring drill-down (blueprints/report DRILL_DOWN, services/mentorship/drill.py): every
mentoring figure and grade row links, per year and for the span's total, to the pair list with the report's
definition and scope; the list shows exactly the pairs the figure counts (for mentors credited: their
distinct mentors are the figure), and the list's Excel export holds the same pairs."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from models import db
from models.jobs import Job
from models.mentorship import Assessment, ExcellentNomination, ExcellentRound, MentorPair
from models.skills import REASON_CERTIFICATE, SkillLevelChange
from services import report as reports
from services.mentorship.drill import FIGURES
from tests.factories import WorkerFactory
from tests.factories_mentorship import MentorPairFactory


def pair(enterprise, activated, **extra):
    mentor = WorkerFactory(enterprise=enterprise, skill_level=4)
    return MentorPairFactory(mentor=mentor, start_date=activated or date(2026, 1, 1), activated_on=activated,
                             **extra)


def build(world):
    b, a = world.enterprise_b, world.enterprise_a
    made = {
        "new": pair(b, date(2026, 2, 1)),
        "done": pair(b, date(2025, 3, 1), status="completed", ended_on=date(2026, 3, 1)),
        "failed": pair(b, date(2025, 5, 1), status="completed", ended_on=date(2026, 5, 1)),
        "dissolved": pair(b, date(2026, 4, 1), status="ended_early", ended_on=date(2026, 4, 20)),
        "old": pair(b, date(2024, 3, 1), status="ended_early", ended_on=date(2025, 3, 20)),
        "proposed": pair(b, None, status="proposed"),
        "a_new": pair(a, date(2026, 2, 1)),
    }
    db.session.add_all([
        Assessment(pair_id=made["done"].id, assessed_on=date(2026, 3, 1), grade="excellent", assessor="鉴定站"),
        Assessment(pair_id=made["failed"].id, assessed_on=date(2026, 5, 1), grade="fail", assessor="鉴定站"),
        Assessment(pair_id=made["old"].id, assessed_on=date(2025, 3, 1), grade="pass", assessor="鉴定站")])
    selection = ExcellentRound(year=2026, quota=10, selected_count=1, published=True)
    db.session.add(selection)
    db.session.flush()
    db.session.add(ExcellentNomination(round_id=selection.id, pair_id=made["done"].id, enterprise_id=b.id,
                                       citation="师徒同心，技艺精进。", selected=True))
    # the apprentices of "done" (in 2026) and "old" (in 2025) reached a higher level within the credit window
    for name, day in (("done", date(2026, 6, 1)), ("old", date(2025, 1, 10))):
        db.session.add(SkillLevelChange(user_id=made[name].apprentice_id, level=2, previous_level=1,
                                        reason=REASON_CERTIFICATE, effective_date=day))
    db.session.commit()
    return made


EXPECTED_2026 = {"formed": {"new", "dissolved"}, "active": {"new", "done", "failed", "dissolved"},
                 "completed": {"done", "failed"}, "grade.excellent": {"done"}, "grade.fail": {"failed"},
                 "grade.pass": set(), "dissolved": {"dissolved"}, "excellent": {"done"}, "mentors_credited": {"done"}}
# "active" over a span: each pair that ran on a day of it, once (done and failed ran in 2025 and 2026);
# breakdown rows (grades) have no total column, their years link
EXPECTED_SPAN = {"formed": {"new", "dissolved", "done", "failed"},
                 "active": {"new", "done", "failed", "dissolved", "old"},
                 "completed": {"done", "failed", "old"}, "dissolved": {"dissolved", "old"}, "excellent": {"done"},
                 "mentors_credited": {"done", "old"}}


def listed(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/mentorship/pairs/(\d+)"', page)}


def link(page: str, key: str, column) -> str:
    found = re.search(rf'<a href="(/mentorship/pairs[^"]+)" data-testid="drill-{re.escape(key)}-{column}"', page)
    assert found, (key, column)
    return found.group(1).replace("&amp;", "&")


def value(section, key, year=None):
    for figure in [*section.figures, *(f for b in section.breakdowns for _l, f in b.rows)]:
        if figure.key == key:
            return figure.value(year) if year else figure.total
    return 0


def check(client, report_page, report, made, expected, column, scope_arg):
    section = report.section("mentoring")
    for key, names in expected.items():
        url = link(report_page, key, column)
        assert f"figure={key}" in url and scope_arg in url, url
        page = client.get(url).get_data(as_text=True)
        assert 'data-testid="report-filter"' in page
        ids = listed(page)
        assert ids == {made[name].id for name in names}, key
        figure = value(section, key, None if column == "total" else column)
        if key == "mentors_credited":  # distinct mentors of the listed pairs
            mentors = {db.session.get(MentorPair, i).mentor_id for i in ids}
            assert len(mentors) == figure, key
        else:
            assert len(ids) == figure, key


@pytest.mark.parametrize("who", ["admin", "town_b"])
def test_each_mentoring_figure_of_a_town_links_to_exactly_its_pairs(world, client, login, who):
    made = build(world)
    town_b = world.enterprise_b.town_id
    login(client, getattr(world, who))
    query = f"town={town_b}&" if who == "admin" else ""
    page = client.get(f"/report/?{query}first=2026").get_data(as_text=True)
    report = reports.build(getattr(world, who), town_id=town_b, first=2026)
    scope_arg = f"town={town_b}" if who == "admin" else "figure="
    check(client, page, report, made, EXPECTED_2026, 2026, scope_arg)
    page = client.get(f"/report/?{query}first=2025&last=2026").get_data(as_text=True)
    report = reports.build(getattr(world, who), town_id=town_b, first=2025, last=2026)
    check(client, page, report, made, EXPECTED_SPAN, "total", scope_arg)
    active = report.section("mentoring").figure("active")
    assert active.total == 5 < active.value(2025) + active.value(2026)  # not the sum of the years (3 + 4)
    check(client, page, report, made, {"grade.pass": {"old"}, "active": {"done", "failed", "old"}}, 2025, scope_arg)
    assert set(EXPECTED_2026) == set(FIGURES)


def test_an_enterprise_scope_lists_its_own_pairs_only(world, client, login):
    made = build(world)
    login(client, world.admin)
    b = world.enterprise_b.id
    page = client.get(f"/report/?enterprise={b}&first=2026").get_data(as_text=True)
    check(client, page, reports.build(world.admin, enterprise_id=b, first=2026), made, EXPECTED_2026, 2026,
          f"enterprise={b}")
    login(client, world.hr_a)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    assert listed(client.get(link(page, "formed", 2026)).get_data(as_text=True)) == {made["a_new"].id}


def test_a_scope_outside_the_readers_reach_is_not_found(world, client, login):
    build(world)
    login(client, world.town_a)
    answer = client.get(f"/mentorship/pairs?figure=formed&year=2026&town={world.enterprise_b.town_id}")
    assert answer.status_code == 404
    login(client, world.hr_a)
    answer = client.get(f"/mentorship/pairs?figure=formed&year=2026&enterprise={world.enterprise_b.id}")
    assert answer.status_code == 404
    assert client.get("/mentorship/pairs?figure=nothing&year=2026").status_code == 404


def test_the_drilled_pairs_export_to_excel(world, client, login):
    made = build(world)
    login(client, world.hr_b)
    url = "/mentorship/pairs?figure=completed&year=2026"
    page = client.get(url).get_data(as_text=True)
    export = re.search(r'data-testid="list-export" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "figure=completed" in export and "year=2026" in export
    form = client.get(export).get_data(as_text=True)
    assert 'data-testid="report-filter"' in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = client.post(export, data={"csrf_token": token})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    book = load_workbook(io.BytesIO(client.get(f"/jobs/{job.id}/download").data))
    ids = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert ids == {made["done"].id, made["failed"].id}


@pytest.mark.parametrize("query, name", [("figure=active&year=2026", "active-2026"),
                                         ("figure=completed&first=2025&last=2026", "completed-2025-2026")])
def test_the_drilled_export_names_its_figure_and_years_not_all_pairs(world, client, login, query, name):
    from core import clock

    build(world)
    login(client, world.admin)
    form = client.get(f"/mentorship/pairs/export.xlsx?{query}").get_data(as_text=True)
    what = re.search(r"<p[^>]*>(导出“.*?)</p>", form, re.S).group(1)
    figure = re.search(r"figure=([a-z_.]+)", query).group(1)
    assert str(FIGURES[figure]) in what and name.split("-", 1)[1].replace("-", "–") in what
    assert "全部结对" not in what and "全部师徒结对" not in what
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post(f"/mentorship/pairs/export.xlsx?{query}", data={"csrf_token": token}).status_code == 302
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done" and job.result_name == f"mentor-pairs-{name}-{clock.today().isoformat()}.xlsx"


def test_the_drilled_pair_list_costs_the_same_for_more_pairs(world, client, login):
    from tests.querycount import count_queries

    build(world)
    login(client, world.admin)
    url = f"/mentorship/pairs?figure=active&year=2026&town={world.enterprise_b.town_id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for _ in range(10):
        pair(world.enterprise_b, date(2026, 3, 1))
    db.session.commit()
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert len(listed(page)) == 14 and many.count == few.count


def test_pairs_stay_with_the_town_of_their_time(world, client, login):
    """Enterprise B joins A's town after its pairs were made: the report and the list behind it still count
    them for B's old town, and not for A's town."""
    from datetime import timedelta

    from core import clock
    from services.accounts import enterprises
    from services.accounts.enterprises import EnterpriseData

    made = build(world)
    b, old_town, new_town = world.enterprise_b, world.enterprise_b.town_id, world.enterprise_a.town_id
    with clock.frozen(clock.now() + timedelta(days=1)):
        enterprises.update_enterprise(world.admin, b, EnterpriseData(b.name, b.credit_code, new_town, b.industry,
                                                                     b.is_member))
        db.session.commit()
        login(client, world.admin)
        for town, names in ((old_town, {"new", "dissolved"}), (new_town, {"a_new"})):
            page = client.get(f"/report/?town={town}&first=2026").get_data(as_text=True)
            ids = listed(client.get(link(page, "formed", 2026)).get_data(as_text=True))
            assert ids == {made[name].id for name in names}, town
            assert len(ids) == reports.build(world.admin, town_id=town, first=2026).section(
                "mentoring").figure("formed").value(2026)
