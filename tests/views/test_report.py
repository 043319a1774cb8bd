"""The report page (blueprints/report): each officer's own scope by default, the filters, charts drawn on
the server as SVG images with their data tables, a wrong span refused beside its field, and a cost that
does not grow with the records counted."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from models import db
from services.common import figures_cache
from tests.factories import WorkerFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import count_queries
from tests.views.test_report_drill_five_small import _higher

MAY = datetime(2026, 5, 10, 2, tzinfo=UTC)


def test_each_officer_opens_their_own_scope(world, client, login):
    for persona, name in (("admin", "全市"), ("hr_a", world.enterprise_a.name), ("town_b", "池店镇")):
        login(client, world.persona(persona))
        page = client.get("/report/?first=2026").get_data(as_text=True)
        scope = re.search(r'data-testid="report-scope">([^<]*)<', page).group(1)
        assert scope == name, persona


def test_an_enterprise_asked_for_with_another_town_wins_and_the_filter_says_so(world, client, login):
    """Town A and enterprise B (of town B) both asked for: the report is B's, the town drop-down shows B's
    town (so 查看 pressed unchanged asks for the same report) and a line says the enterprise won; a town
    alone, or an enterprise with its own town, shows no such line."""
    login(client, world.admin)
    town_a, town_b, b = world.enterprise_a.town_id, world.enterprise_b.town_id, world.enterprise_b.id
    page = client.get(f"/report/?town={town_a}&enterprise={b}&first=2026").get_data(as_text=True)
    assert re.search(r'data-testid="report-scope">([^<]*)<', page).group(1) == world.enterprise_b.name
    selected = re.findall(r'<option value="(\d+)" selected>', re.search(r'<select[^>]*name="town">(.*?)</select>',
                                                                          page, re.S).group(1))
    assert selected == [str(town_b)]
    assert 'data-testid="report-enterprise-wins"' in page and world.enterprise_b.name in page
    for address in (f"/report/?town={town_a}&first=2026", f"/report/?town={town_b}&enterprise={b}&first=2026"):
        page = client.get(address).get_data(as_text=True)
        assert 'data-testid="report-enterprise-wins"' not in page, address
    assert f'<option value="{town_a}" selected>' in client.get(f"/report/?town={town_a}").get_data(as_text=True)


def test_the_page_shows_figures_charts_and_their_tables(world, client, login):
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", submitted_at=MAY)
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="submitted", submitted_at=MAY)
    login(client, world.admin)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    row = re.search(r'data-testid="figure-five_small-collected">.*?</tr>', page, re.S).group(0)
    assert re.search(r'data-year="2026"><a href="[^"]*" data-testid="drill-collected-2026"[^>]*>2</a>', row)
    charts = [link.replace("&amp;", "&") for link in re.findall(r'<img [^>]*src="(/report/chart/[^"]+)"', page)]
    assert charts  # linked, not embedded: the page stays small on a phone
    image = client.get(charts[0])
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    svg = image.get_data(as_text=True)
    assert svg.startswith("<svg") and "<script" not in svg
    assert "private" in image.headers["Cache-Control"]
    assert 'data-testid="series-collected_by_month"' in page and "<details" in page


def test_a_backwards_span_is_refused_beside_its_field(world, client, login):
    login(client, world.admin)
    page = client.get("/report/?first=2026&last=2024").get_data(as_text=True)
    assert 'data-testid="span-error"' in page and 'value="2026"' in page


def test_the_cost_does_not_grow_with_the_records(world, client, login):
    login(client, world.admin)
    client.get("/report/?first=2025&last=2026")  # warm the app's caches
    figures_cache.clear()  # the figures counted again (as after any change), not read from memory
    with count_queries() as few:
        client.get("/report/?first=2025&last=2026")
    campaign = CampaignFactory()
    for _ in range(15):
        ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a), status="valid",
                        submitted_at=MAY)
    with count_queries() as many:
        client.get("/report/?first=2025&last=2026")
    assert many.count == few.count


def test_the_excel_export_is_a_job_with_a_sheet_per_part(world, client, login):
    import io

    from openpyxl import load_workbook

    from models import db
    from models.jobs import Job

    ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_b, status="valid", submitted_at=MAY)
    login(client, world.town_b)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/report/export", data={"csrf_token": token, "town": world.enterprise_b.town_id,
                                                  "first": 2026, "last": 2026})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    download = client.get(f"/jobs/{job.id}/download")
    book = load_workbook(io.BytesIO(download.data))
    assert book.sheetnames[:2] == ["五小创新", "技能竞赛"]
    rows = {row[0]: row for row in book["五小创新"].iter_rows(values_only=True)}
    assert rows["征集提案"][2] == 1  # one proposal from B's town in 2026
    # the charts' series below their part's figures: participation by industry, attendances by month
    taking_part = {row[0]: row for row in book["参与面"].iter_rows(values_only=True)}
    assert "2026年各行业参与职工（人，按记录产生时所在企业的行业）" in taking_part
    assert taking_part["鞋服制造"][2] == 1  # B's worker, by the industry of B
    assert "2026年各月参训人次" in {row[0] for row in book["技能培训"].iter_rows(values_only=True)}
    # another town's report cannot be exported by this town officer
    assert client.post("/report/export", data={"csrf_token": token, "town": world.enterprise_a.town_id}).status_code \
        == 404


def collected_2026(page: str) -> str:
    row = re.search(r'data-testid="figure-five_small-collected">.*?</tr>', page, re.S).group(0)
    return re.search(r'data-year="2026">(?:<a [^>]*>)?([^<]*)<', row).group(1)


def test_the_rendered_parts_are_fresh_after_a_change_and_follow_the_readers_roles(world, client, login):
    """The parts' HTML is kept per data version (blueprints/report._sections_html): a new proposal shows at
    once, and a reader who may not open a list (a town officer, the 上级成绩 list) gets no link to it even
    when an admin's page of the same scope was rendered first."""
    campaign = CampaignFactory()
    first = ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", submitted_at=MAY)
    _higher(world, world.enterprise_b.id, "province", "first", date(2026, 6, 1), proposal=first)
    db.session.commit()
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    url = f"/report/?town={town_b}&first=2026"
    assert collected_2026(client.get(url).get_data(as_text=True)) == "1"
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="submitted", submitted_at=MAY)
    admin_page = client.get(url).get_data(as_text=True)
    assert collected_2026(admin_page) == "2"
    login(client, world.persona("town_b"))
    officer_page = client.get(url).get_data(as_text=True)
    assert collected_2026(officer_page) == "2"
    assert 'href="/titles/higher' in admin_page and 'href="/titles/higher' not in officer_page


def _money_chart(client, address):
    page = client.get(address).get_data(as_text=True)
    part = re.search(r'data-testid="breakdown-training-money">(.*?)</details>', page, re.S).group(1)
    found = re.search(r'<img [^>]*src="(/report/chart/training/breakdown-money\.svg[^"]+)"', part)
    return part, found and found.group(1).replace("&amp;", "&")


def test_a_span_draws_its_breakdowns_last_year_says_so_and_draws_no_zeros(world, client, login):
    """Training money of 2025 only: the 2025-2026 report keeps the table but draws no chart (2026 is all
    zero, and the chart's address is 404); once 2026 has money, the chart is drawn, its title names 2026 and
    the page says the chart is of 2026."""
    from models.training import TrainingCost
    from tests.factories_training import ProgrammeFactory

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 starts_on=date(2025, 3, 1), ends_on=date(2026, 3, 1))
    db.session.add(TrainingCost(programme_id=programme.id, category="venue", amount=Decimal("300.00"),
                                funding_source="union", spent_on=date(2025, 5, 2)))
    db.session.commit()
    login(client, world.admin)
    part, chart = _money_chart(client, "/report/?first=2025&last=2026")
    assert chart is None and 'data-testid="breakdown-chart-year"' not in part
    assert 'data-testid="drill-money.union-2025"' in part  # the table stays
    version = figures_cache.current_version()
    zero = f"/report/chart/training/breakdown-money.svg?v={version}&first=2025&last=2026"
    assert client.get(zero).status_code == 404
    db.session.add(TrainingCost(programme_id=programme.id, category="venue", amount=Decimal("500.00"),
                                funding_source="union", spent_on=date(2026, 2, 2)))
    db.session.commit()
    part, chart = _money_chart(client, "/report/?first=2025&last=2026")
    assert chart and "图为2026年，各年数值见数据表。" in part
    svg = client.get(chart).get_data(as_text=True)
    assert "培训经费支出（按来源，元）（2026年）" in svg


def test_a_chart_is_read_as_its_report_is(world, client, login):
    """/report/chart/...: the same scope check as the page (another enterprise's chart is 404 for HR), 404
    for a chart the report does not draw, and the address changes with the data version."""
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", submitted_at=MAY)
    b = world.enterprise_b.id
    login(client, world.admin)
    page = client.get(f"/report/?enterprise={b}&first=2026").get_data(as_text=True)
    link = re.search(r'<img [^>]*src="(/report/chart/five_small/series-collected_by_month\.svg[^"]+)"', page)
    link = link.group(1).replace("&amp;", "&")
    assert f"enterprise={b}" in link and client.get(link).status_code == 200
    assert client.get(link.replace("series-collected_by_month", "series-nothing")).status_code == 404
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="submitted", submitted_at=MAY)
    again = client.get(f"/report/?enterprise={b}&first=2026").get_data(as_text=True)
    assert link.replace("&", "&amp;") not in again  # a new version, a new address
    login(client, world.hr_a)
    assert client.get(link).status_code == 404
