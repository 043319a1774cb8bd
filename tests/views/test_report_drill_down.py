"""The report's drill-down (blueprints/report DRILL_DOWN, services/proposals/listing `year` and `stage`):
each Five Small count links, per year, to the proposal list with the report's definition and scope, the
list shows exactly the proposals the figure counts, and the list's Excel export holds the same rows."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from openpyxl import load_workbook

from models import db
from models.jobs import Job
from services import report as reports
from tests.factories_proposals import CampaignFactory, ProposalFactory

Y2026 = datetime(2026, 5, 10, 2, tzinfo=UTC)
Y2025 = datetime(2025, 5, 10, 2, tzinfo=UTC)
NEW_YEAR_EVE = datetime(2025, 12, 31, 17, tzinfo=UTC)  # 1 January 2026, 01:00 in Shanghai


def build(world):
    city = CampaignFactory(status="final")
    town = CampaignFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id, status="final")
    made = {}
    for name, status, at in (("b_valid", "valid", Y2026), ("b_submitted", "submitted", Y2026),
                             ("b_new_year", "valid", NEW_YEAR_EVE), ("b_withdrawn", "withdrawn", Y2026),
                             ("b_2025", "valid", Y2025), ("b_implemented", "implemented", Y2026)):
        made[name] = ProposalFactory(campaign=town, proposer=world.worker_b, status=status, submitted_at=at,
                                     title=f"乙镇提案{name}")
    # B's valid proposal recommended to the city and adopted there: one proposal, adopted, listed as its original
    ProposalFactory(campaign=city, proposer=world.worker_b, status="adopted", origin_id=made["b_valid"].id,
                    recommended_from_id=made["b_valid"].id, submitted_at=Y2026, title="乙镇提案市级副本")
    made["a_valid"] = ProposalFactory(campaign=city, proposer=world.worker_a, status="valid", submitted_at=Y2026,
                                      title="甲镇提案")
    db.session.commit()
    return made


def listed(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'class="cell-primary"><a href="/proposals/(\d+)"', page)}


def test_each_five_small_count_links_to_exactly_the_proposals_it_counts(world, client, login):
    made = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    page = client.get(f"/report/?town={town_b}&first=2026").get_data(as_text=True)
    expected = {"collected": {"b_valid", "b_submitted", "b_new_year", "b_implemented"},
                "valid": {"b_valid", "b_new_year", "b_implemented"}, "adopted": {"b_valid", "b_implemented"},
                "implemented": {"b_implemented"}}
    report = reports.build(world.admin, town_id=town_b, first=2026)
    for stage, names in expected.items():
        link = re.search(rf'<a href="([^"]+)" data-testid="drill-{stage}-2026"', page).group(1).replace("&amp;", "&")
        assert f"town={town_b}" in link and "year=2026" in link and f"stage={stage}" in link
        ids = listed(client.get(link).get_data(as_text=True))
        assert ids == {made[name].id for name in names}, stage
        assert len(ids) == report.section("five_small").figure(stage).value(2026), stage


def test_the_list_says_it_follows_the_report_and_a_town_officer_sees_their_town_only(world, client, login):
    made = build(world)
    login(client, world.town_b)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="drill-valid-2026"', page).group(1).replace("&amp;", "&")
    answer = client.get(link).get_data(as_text=True)
    assert 'data-testid="report-filter"' in answer and listed(answer) == {
        made["b_valid"].id, made["b_new_year"].id, made["b_implemented"].id}
    # another town's list is empty for this officer, whatever the address says
    other = client.get(f"/proposals/list?stage=valid&year=2026&town={world.enterprise_a.town_id}")
    assert listed(other.get_data(as_text=True)) == set()


def test_hr_drills_into_their_enterprise(world, client, login):
    made = build(world)
    login(client, world.hr_a)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="drill-collected-2026"', page).group(1).replace("&amp;", "&")
    assert listed(client.get(link).get_data(as_text=True)) == {made["a_valid"].id}


def test_the_listed_proposals_export_to_excel(world, client, login):
    made = build(world)
    login(client, world.admin)
    url = f"/proposals/list?stage=valid&year=2026&town={world.enterprise_b.town_id}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" class="mb-3" data-testid="list-export"', page)
    answer = client.post(action.group(1).replace("&amp;", "&"), data={"csrf_token": token})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    book = load_workbook(io.BytesIO(client.get(f"/jobs/{job.id}/download").data))
    ids = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert ids == {made["b_valid"].id, made["b_new_year"].id, made["b_implemented"].id}


def test_a_worker_has_no_list_export(world, client, login):
    login(client, world.worker_a)
    assert 'data-testid="list-export"' not in client.get("/proposals/list?mine=1").get_data(as_text=True)


def test_the_drilled_list_costs_the_same_for_more_proposals(world, client, login):
    from tests.factories import WorkerFactory
    from tests.querycount import page_counts

    build(world)
    login(client, world.admin)
    url = f"/proposals/list?stage=adopted&year=2026&town={world.enterprise_b.town_id}"
    few = page_counts(client, url)
    campaign = CampaignFactory()
    for _ in range(10):
        ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_b), status="implemented",
                        submitted_at=Y2026)
    assert page_counts(client, url) == few
    page = client.get(url).get_data(as_text=True)
    assert len(listed(page)) == 12
