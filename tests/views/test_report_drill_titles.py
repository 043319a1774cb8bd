"""The report's drill-down for titles (blueprints/report DRILL_DOWN and DRILL_ROWS; services.titles.listing):
awarded, revoked, nominations and every title row link, per year and for the span's total, to the awards or
nominations list with exactly the records the figure counts (a town scope and an enterprise scope; a person
who changed employer counted at the enterprise recorded on the title), and the lists export the same rows."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from models import db
from models.jobs import Job
from models.titles import Nomination, TitleAward, TitleRound, TitleType
from services import report as reports
from tests.factories import WorkerFactory
from tests.factories_titles import default_titles
from tests.querycount import page_counts

MARCH, MAY = datetime(2026, 3, 10, 2, tzinfo=UTC), datetime(2026, 5, 10, 2, tzinfo=UTC)
MAY_2025 = datetime(2025, 5, 10, 2, tzinfo=UTC)
NEW_YEAR_EVE = datetime(2025, 12, 31, 17, tzinfo=UTC)  # 1 January 2026, 01:00 in Shanghai


def award(title_type, worker, enterprise, on: date, status="final", revoked_at=None, at=None):
    code = f"{title_type.id}-{worker.id}"
    granted = TitleAward(title_type_id=title_type.id, worker_id=worker.id, enterprise_id=enterprise.id,
                         certificate_no=f"C{code}", verification_code=f"V{code}",
                         award_date=on, citation="事迹", status=status, revoked_at=revoked_at,
                         created_at=at or datetime(on.year, on.month, on.day, 2, tzinfo=UTC) - timedelta(days=1))
    db.session.add(granted)
    db.session.flush()
    return granted


def nomination(title_round, worker, enterprise, by, at, status="submitted"):
    made = Nomination(round_id=title_round.id, worker_id=worker.id, enterprise_id=enterprise.id, nominated_by_id=by.id,
                      citation="长期扎根一线", status=status, created_at=at)
    db.session.add(made)
    db.session.flush()
    return made


def build(world):
    a, b = world.enterprise_a, world.enterprise_b
    titles = default_titles()
    city, prefecture, province = titles["晋江工匠"], titles["泉州工匠"], titles["福建省金牌工人"]
    mate = WorkerFactory(enterprise=b, name="乙企工匠")
    mover = WorkerFactory(enterprise=b, name="调动职工")  # awarded and nominated while still at A
    made = {"a_city": award(city, world.worker_a, a, date(2026, 5, 1)),
            "b_city": award(city, world.worker_b, b, date(2026, 5, 1)),
            "b_province": award(province, mate, b, date(2026, 6, 1)),
            "b_notice": award(prefecture, world.worker_b, b, date(2026, 6, 1), status="notice"),
            "mover_at_a": award(city, mover, a, date(2026, 4, 1)),
            "b_revoked": award(city, mate, b, date(2025, 5, 1), status="revoked", revoked_at=MARCH),
            "b_2025": award(prefecture, mate, b, date(2025, 6, 1))}
    rounds = {year: TitleRound(title_type_id=city.id, year=year, deadline=datetime(year, 9, 1, tzinfo=UTC), quota=5)
              for year in (2025, 2026)}
    db.session.add_all(rounds.values())
    db.session.flush()
    made |= {"n_a": nomination(rounds[2026], world.worker_a, a, world.hr_a, MAY),
             "n_b": nomination(rounds[2026], world.worker_b, b, world.hr_b, NEW_YEAR_EVE, status="approved"),
             "n_withdrawn": nomination(rounds[2026], mate, b, world.hr_b, MAY, status="withdrawn"),
             "n_mover": nomination(rounds[2026], mover, a, world.hr_a, MARCH),
             "n_2025": nomination(rounds[2025], mate, b, world.hr_b, MAY_2025)}
    db.session.commit()
    return made


def _link(page: str, testid: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" data-testid="{re.escape(testid)}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def listed(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-testid="(?:award|nomination)" data-(?:award|nomination)="(\d+)"', page)}


def follow_every_figure(client, actor, query: str, **scope):
    """Follow the link of every titles figure (each year and the span's total) and title row (each year);
    each list must hold exactly the figure's number. Returns {(key, year or "total"): listed ids}."""
    page = client.get(f"/report/?{query}").get_data(as_text=True)
    page = page[page.index('data-testid="section-titles"'):]  # figure keys repeat across parts (e.g. "people")
    page = page[:page.index("</section>")]
    report = reports.build(actor, **scope)
    section = report.section("titles")
    spans = ["total"] if len(report.span.years) > 1 else []
    cells = [(figure, [*report.span.years, *spans]) for figure in section.figures]
    cells += [(figure, report.span.years) for breakdown in section.breakdowns for _l, figure in breakdown.rows]
    assert len(cells) > 3
    found = {}
    for figure, years in cells:
        for year in years:
            link = _link(page, f"drill-{figure.key}-{year}")
            assert link is not None, (figure.key, year)
            answer = client.get(link)
            assert answer.status_code == 200, link
            text = answer.get_data(as_text=True)
            ids = listed(text)
            assert len(ids) == (figure.total if year == "total" else figure.value(year)), (figure.key, year, link)
            assert 'data-testid="report-filter"' in text and 'data-testid="list-export"' in text
            found[(figure.key, year)] = ids
    return found


def test_a_town_scope_lists_exactly_the_titles_and_nominations_counted(world, client, login):
    made = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    found = follow_every_figure(client, world.admin, f"town={town_b}&first=2026", town_id=town_b, first=2026)
    assert found[("awarded", 2026)] == {made["b_city"].id, made["b_province"].id}
    assert found[("revoked", 2026)] == {made["b_revoked"].id}
    assert found[("nominations", 2026)] == {made["n_b"].id}
    assert found[("title.province.福建省金牌工人", 2026)] == {made["b_province"].id}


def test_an_enterprise_scope_counts_the_mover_where_the_title_was_awarded(world, client, login):
    made = build(world)
    login(client, world.hr_a)
    found = follow_every_figure(client, world.hr_a, "first=2026", first=2026)
    assert found[("awarded", 2026)] == {made["a_city"].id, made["mover_at_a"].id}
    assert found[("nominations", 2026)] == {made["n_a"].id, made["n_mover"].id}
    login(client, world.admin)
    follow_every_figure(client, world.admin, f"enterprise={world.enterprise_a.id}&first=2026",
                        enterprise_id=world.enterprise_a.id, first=2026)


def test_the_span_total_links_list_both_years(world, client, login):
    made = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    found = follow_every_figure(client, world.admin, f"town={town_b}&first=2025&last=2026", town_id=town_b,
                                first=2025, last=2026)
    assert made["b_2025"].id in found[("awarded", "total")] and made["n_2025"].id in found[("nominations", "total")]


def test_the_lists_keep_to_the_readers_reach(world, client, login):
    build(world)
    login(client, world.town_a)
    assert client.get(f"/titles/awards?year=2026&town={world.enterprise_b.town_id}").status_code == 404
    login(client, world.hr_a)
    assert client.get(f"/titles/nominations?year=2026&enterprise={world.enterprise_b.id}").status_code == 404
    login(client, world.worker_a)
    assert client.get("/titles/awards?year=2026").status_code == 403


@pytest.mark.parametrize("path", ["/titles/awards?basis=awarded", "/titles/nominations?x=1"])
def test_the_lists_export_their_rows(world, client, login, path):
    build(world)
    login(client, world.admin)
    page = client.get(f"{path}&year=2026&town={world.enterprise_b.town_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" class="mb-3" data-testid="list-export"', page)
    answer = client.post(action.group(1).replace("&amp;", "&"), data={"csrf_token": token})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    assert {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)} == listed(page) != set()


def test_a_big_export_runs_as_a_job(world, client, login, monkeypatch):
    from services.titles import listing

    build(world)
    monkeypatch.setattr(listing, "INLINE_ROWS", 0)
    login(client, world.hr_a)
    page = client.get("/titles/awards?year=2026").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/titles/awards/export?year=2026", data={"csrf_token": token})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    book = load_workbook(io.BytesIO(client.get(f"/jobs/{job.id}/download").data))
    assert {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)} == listed(page)


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_lists_cost_the_same_for_more_records(world, client, login, rows):
    build(world)
    login(client, world.admin)
    urls = [f"/titles/{kind}?year=2026&town={world.enterprise_b.town_id}" for kind in ("awards", "nominations")]
    # each view cold (right after a change: the list's number of rows counted once) and memoised
    few = {url: page_counts(client, url) for url in urls}
    workers = [WorkerFactory(enterprise=world.enterprise_b) for _ in range(min(rows, 20))]
    kinds = [TitleType(name=f"测试称号{i}", level="city", yearly_quota=5) for i in range((rows + 19) // 20)]
    db.session.add_all(kinds)
    db.session.flush()
    held = [TitleRound(title_type_id=kind.id, year=2026, deadline=datetime(2026, 9, 1, tzinfo=UTC), quota=5)
            for kind in kinds]
    db.session.add_all(held)
    db.session.flush()
    for n in range(rows):
        worker = workers[n % 20]
        award(kinds[n // 20], worker, world.enterprise_b, date(2026, 7, 1))
        nomination(held[n // 20], worker, world.enterprise_b, world.hr_b, MAY)
    db.session.commit()
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        assert len(listed(page)) > 5 and page_counts(client, url) == few[url], url
