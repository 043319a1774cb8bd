"""The report's drill-down for competitions (blueprints/report DRILL_DOWN; services.competitions.listing):
every competitions figure and breakdown row links, per year and for the span's total, to the list behind
it; the list shows exactly what the figure counts (a town scope and an enterprise scope, a person who
changed employer mid-year counted at the enterprise of the entry's time) and exports the same rows."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models import db
from models.competitions import CompetitionPromotion, CompetitionRegistration, CompetitionResult, CompetitionTeamMember
from models.jobs import Job
from services import report as reports
from services.common import figures_cache
from tests.factories import WorkerFactory
from tests.factories_competitions import CompetitionFactory
from tests.querycount import count_queries, page_counts

MARCH, MAY, AUGUST = (datetime(2026, m, 10, 2, tzinfo=UTC) for m in (3, 5, 8))
MAY_2025 = datetime(2025, 5, 10, 2, tzinfo=UTC)


def entry(competition, worker, enterprise, *, status="confirmed", prize=None, at=MAY, members=()):
    registration = CompetitionRegistration(competition_id=competition.id, worker_id=worker.id,
                                           enterprise_id=enterprise.id, status=status, created_at=at)
    db.session.add(registration)
    db.session.flush()
    if prize is not None:
        db.session.add(CompetitionResult(competition_id=competition.id, registration_id=registration.id,
                                         theory=Decimal(90), practical=Decimal(90), total=Decimal(90), judges=3,
                                         rank=1, position=1, prize=prize))
    for member in members:
        db.session.add(CompetitionTeamMember(competition_id=competition.id, registration_id=registration.id,
                                             worker_id=member.id))
    return registration


def build(world):
    a, b = world.enterprise_a, world.enterprise_b
    c = {"city": CompetitionFactory(held_on=date(2026, 6, 1), status="final"),
         "own_a": CompetitionFactory(held_on=date(2026, 6, 2), status="final", level="enterprise",
                                     owner_level="enterprise", owner_enterprise_id=a.id),
         "team": CompetitionFactory(held_on=date(2026, 6, 3), status="open", is_team=True, team_min=2, team_max=3),
         "draft": CompetitionFactory(held_on=date(2026, 6, 4), status="draft"),
         "town_b": CompetitionFactory(held_on=date(2026, 6, 5), status="final", level="town", owner_level="town",
                                      owner_town_id=b.town_id),
         "own_b": CompetitionFactory(held_on=date(2026, 7, 1), status="final", level="enterprise",
                                     owner_level="enterprise", owner_enterprise_id=b.id),
         "y2025": CompetitionFactory(held_on=date(2025, 6, 4), status="final")}
    mate = WorkerFactory(enterprise=b, name="乙企队员")
    mover = WorkerFactory(enterprise=b, name="调动职工")  # entered from A in March, moved to B, entered again
    e = {"a_first": entry(c["city"], world.worker_a, a, prize="first"),
         "b_city": entry(c["city"], world.worker_b, b),
         "b_withdrawn": entry(c["city"], WorkerFactory(enterprise=b), b, status="withdrawn"),
         "a_own": entry(c["own_a"], world.worker_a, a, prize="second"),
         "b_team": entry(c["team"], world.worker_b, b, members=(world.worker_b, mate)),
         "b_draft": entry(c["draft"], world.worker_b, b),
         "mover_at_a": entry(c["city"], mover, a, prize="third", at=MARCH),
         "mover_at_b": entry(c["town_b"], mover, b, prize="first", at=AUGUST),
         "b_own": entry(c["own_b"], world.worker_b, b, prize="honourable"),
         "b_2025": entry(c["y2025"], world.worker_b, b, prize="first", at=MAY_2025)}
    promotions = ((e["b_team"], world.worker_b, b, MAY, "certified", MAY),
                  (e["a_first"], world.worker_a, a, MAY, "recommended", None),
                  (e["mover_at_a"], mover, a, MARCH, "certified", AUGUST),
                  (e["b_city"], world.worker_b, b, MAY, "passed_over", None),
                  (e["b_2025"], world.worker_b, b, MAY_2025, "certified", MARCH))
    for registration, worker, enterprise, at, status, recorded in promotions:
        db.session.add(CompetitionPromotion(registration_id=registration.id, worker_id=worker.id, to_level=4,
                                            enterprise_id=enterprise.id, created_at=at, status=status,
                                            recorded_at=recorded))
    db.session.commit()
    return c, e, {"mate": mate, "mover": mover}


def _link(page: str, testid: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" data-testid="{re.escape(testid)}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def _competitions(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr><td data-label="[^"]*"><a href="/competitions/(\d+)"', page)]


def _entries(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="entry" data-entry="(\d+)"', page)]


def _people(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="competitor" data-person="(\d+)"', page)]


def measure(key: str, page: str) -> int:
    """What the list shows of the figure `key`: competitions, entries, person-times or distinct people."""
    if key == "held" or key.startswith("held."):
        return len(_competitions(page))
    if key == "person_times":
        return len(_people(page))
    if key == "people":
        return len(set(_people(page)))
    if key.startswith("promotions_"):
        return len(re.findall(r'data-testid="promotion"', page))
    return len(_entries(page))


def _summary(page: str) -> dict:
    """The entries list's summary line: {"person_times", "people"} or {"prizes"}, {} when it shows none."""
    found = re.search(r'data-testid="report-summary">(.*?)</span>', page, re.S)
    if found is None:
        return {}
    text = found.group(1).replace(",", "")
    if prizes := re.search(r"获奖 (\d+) 个", text):
        return {"prizes": int(prizes.group(1))}
    times, people = re.search(r"参赛 (\d+) 人次、(\d+) 人", text).groups()
    return {"person_times": int(times), "people": int(people)}


def follow_every_figure(client, actor, query: str, cold: bool = False, **scope):
    """Follow every competitions figure's and breakdown row's link of the report (each year, and the
    span's total when it spans years); each list must show exactly the figure's number, and the entries
    list's summary line the figure itself (`cold`: with nothing memoised, so the list computes the
    figures it needs rather than reading the report's). Returns {(key, year or "total"): page}."""
    page = client.get(f"/report/?{query}").get_data(as_text=True)
    page = page[page.index('data-testid="section-competitions"'):]  # figure keys repeat across parts (e.g. "people")
    page = page[:page.index("</section>")]
    report = reports.build(actor, **scope)
    section = report.section("competitions")
    # the figures link each year and the span's total; a breakdown's rows link each year
    spans = ["total"] if len(report.span.years) > 1 else []
    cells = [(figure, [*report.span.years, *spans]) for figure in section.figures]
    cells += [(figure, report.span.years) for breakdown in section.breakdowns for _l, figure in breakdown.rows]
    pages = {}
    for figure, years in cells:
        for year in years:
            link = _link(page, f"drill-{figure.key}-{year}")
            assert link is not None, (figure.key, year)
            if "town" in scope and scope["town"]:
                assert f"town={scope['town']}" in link
            if cold:
                figures_cache.clear()
            listed = client.get(link)
            assert listed.status_code == 200, link
            text = listed.get_data(as_text=True)
            expected = figure.total if year == "total" else figure.value(year)
            assert measure(figure.key, text) == expected, (figure.key, year, link)
            if "/competitions/entries" in link:
                summary = _summary(text)
                key = "prizes" if figure.key.startswith("prize") else figure.key
                assert summary[key] == expected, (figure.key, year, link, summary)
            assert 'data-testid="report-filter"' in text and 'data-testid="list-export"' in text
            pages[(figure.key, year)] = text
    return pages


@pytest.mark.parametrize("cold", [False, True])
def test_a_town_scope_every_figure_lists_exactly_what_it_counts(world, client, login, cold):
    c, e, people = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    pages = follow_every_figure(client, world.admin, f"town={town_b}&first=2026", cold, town_id=town_b,
                                first=2026)
    assert set(_competitions(pages[("held", 2026)])) == {c["town_b"].id, c["own_b"].id}
    assert set(_competitions(pages[("held.town", 2026)])) == {c["town_b"].id}
    entrants = pages[("person_times", 2026)]
    assert set(_entries(entrants)) == {e[k].id for k in ("b_city", "b_team", "mover_at_b", "b_own")}
    assert sorted(_people(entrants)) == sorted([world.worker_b.id, world.worker_b.id, people["mate"].id,
                                               people["mover"].id, world.worker_b.id])
    assert set(_entries(pages[("prizes", 2026)])) == {e["mover_at_b"].id, e["b_own"].id}
    assert set(_entries(pages[("prize.town.first", 2026)])) == {e["mover_at_b"].id}
    assert "2026 · " in pages[("prizes", 2026)] and "池店镇" in pages[("prizes", 2026)]


def test_an_enterprise_scope_counts_the_mover_at_the_enterprise_of_the_entry(world, client, login):
    c, e, people = build(world)
    login(client, world.hr_a)
    pages = follow_every_figure(client, world.hr_a, "first=2026", first=2026)
    assert set(_competitions(pages[("held", 2026)])) == {c["own_a"].id}
    assert set(_entries(pages[("person_times", 2026)])) == {e["a_first"].id, e["a_own"].id, e["mover_at_a"].id}
    assert set(_people(pages[("people", 2026)])) == {world.worker_a.id, people["mover"].id}
    assert set(_entries(pages[("prize.city.third", 2026)])) == {e["mover_at_a"].id}
    # the admin reading enterprise A's report gets the same lists through enterprise=
    login(client, world.admin)
    follow_every_figure(client, world.admin, f"enterprise={world.enterprise_a.id}&first=2026",
                        enterprise_id=world.enterprise_a.id, first=2026)


@pytest.mark.parametrize("cold", [False, True])
def test_the_span_total_links_list_every_year_of_the_span(world, client, login, cold):
    c, e, _people = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    pages = follow_every_figure(client, world.admin, f"town={town_b}&first=2025&last=2026", cold, town_id=town_b,
                                first=2025, last=2026)
    assert e["b_2025"].id in _entries(pages[("prizes", "total")])
    assert e["b_2025"].id not in _entries(pages[("prizes", 2026)])


def test_the_held_lists_filter_bar_shows_the_span_and_clears_it(world, client, login):
    """The held competitions of 2025-2026 (town B, city level): the filter bar shows the span read-only
    (not 全部年份) with a link back to the plain list keeping the level; 查看 keeps the span (hidden first
    and last); one year of the report keeps the year drop-down with that year chosen."""
    build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    page = client.get(f"/competitions/?report=1&first=2025&last=2026&town={town_b}&level=city").get_data(as_text=True)
    bar = re.search(r'<form method="get" class="row g-2 mb-3 filter-bar">(.*?)</form>', page, re.S).group(1)
    span = re.search(r'data-testid="report-span">(.*?)</div>', bar, re.S).group(1)
    assert "2025–2026年" in span and 'name="year"' not in bar
    clear = re.search(r'href="([^"]+)" data-testid="clear-report-span"', span).group(1).replace("&amp;", "&")
    assert clear == "/competitions/?level=city"
    for name, value in (("first", 2025), ("last", 2026)):
        assert f'<input type="hidden" name="{name}" value="{value}">' in bar
    one = client.get(f"/competitions/?report=1&year=2026&town={town_b}").get_data(as_text=True)
    assert 'data-testid="report-span"' not in one and '<option value="2026" selected>' in one


def test_the_city_s_entries_list_checks_no_town_and_its_summary_is_the_figure(world, client, login):
    build(world)
    login(client, world.admin)
    report = reports.build(world.admin, first=2026)
    section = report.section("competitions")
    for query, expected in (("figure=entrants", {"person_times": section.figure("person_times").value(2026),
                                                 "people": section.figure("people").value(2026)}),
                            ("figure=prizes", {"prizes": section.figure("prizes").value(2026)})):
        for cold in (False, True):
            if cold:
                figures_cache.clear()
            with count_queries() as counted:
                page = client.get(f"/competitions/entries?{query}&year=2026").get_data(as_text=True)
            assert _summary(page) == expected and expected[next(iter(expected))] > 0, (query, cold)
            listing_sql = [s for s in counted.statements if "FROM competition_registration" in s]
            assert listing_sql and not any("enterprise_town_span" in s for s in listing_sql), (query, cold)
    # entrants of one level: no figure counts them, so the list shows no summary; its number of rows is
    # counted once per data version (memoised), not on every view
    url = "/competitions/entries?figure=entrants&level=city&year=2026"
    client.get(url)
    with count_queries() as counted:
        page = client.get(url).get_data(as_text=True)
    assert _summary(page) == {} and _entries(page)
    assert f'data-rows="{len(_entries(page))}"' in page
    assert not any("count(" in s.lower() and "competition_registration" in s for s in counted.statements)
    # one level's prizes: the breakdown's rows of that level
    page = client.get("/competitions/entries?figure=prizes&level=city&year=2026").get_data(as_text=True)
    assert _summary(page) == {"prizes": len(_entries(page))} == {"prizes": 2}


def test_the_lists_keep_to_the_readers_reach(world, client, login):
    build(world)
    login(client, world.town_a)
    assert client.get(f"/competitions/entries?year=2026&town={world.enterprise_b.town_id}").status_code == 404
    assert client.get(f"/competitions/?report=1&year=2026&enterprise={world.enterprise_b.id}").status_code == 404
    login(client, world.hr_a)
    assert client.get(f"/competitions/entries?year=2026&enterprise={world.enterprise_b.id}").status_code == 404
    login(client, world.worker_a)
    assert client.get("/competitions/entries?year=2026").status_code == 403
    assert client.get("/competitions/?report=1&year=2026").status_code == 403


@pytest.mark.parametrize("path, reader", [("/competitions/entries?figure=prizes", "rows"),
                                          ("/competitions/?report=1", "competitions")])
def test_the_drilled_lists_export_their_rows(world, client, login, path, reader):
    c, e, _people = build(world)
    login(client, world.admin)
    url = f"{path}&year=2026&town={world.enterprise_b.town_id}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" class="mb-3" data-testid="list-export"', page)
    answer = client.post(action.group(1).replace("&amp;", "&"), data={"csrf_token": token})
    assert answer.status_code == 200 and answer.mimetype.endswith("sheet")
    book = load_workbook(io.BytesIO(answer.data))
    ids = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    listed = set(_entries(page)) if reader == "rows" else set(_competitions(page))
    assert ids == listed and listed


def test_a_big_entries_export_runs_as_a_job(world, client, login, monkeypatch):
    from services.competitions import list_export

    build(world)
    monkeypatch.setattr(list_export, "INLINE_ROWS", 1)
    login(client, world.admin)
    url = f"/competitions/entries?year=2026&town={world.enterprise_b.town_id}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(f"/competitions/entries/export?year=2026&town={world.enterprise_b.town_id}",
                         data={"csrf_token": token})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    book = load_workbook(io.BytesIO(client.get(f"/jobs/{job.id}/download").data))
    assert {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)} == set(_entries(page))


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_entries_list_costs_the_same_for_more_entries(world, client, login, rows):
    c, _e, _people = build(world)
    login(client, world.admin)
    url = f"/competitions/entries?year=2026&town={world.enterprise_b.town_id}"
    few = page_counts(client, url)
    workers = [WorkerFactory(enterprise=world.enterprise_b) for _ in range(40)]  # 20 entrants, 20 mates
    held = [CompetitionFactory(held_on=date(2026, 9, 1), status="final", is_team=bool(i % 2), team_min=2, team_max=3)
            for i in range((rows + 19) // 20)]
    for n in range(rows):
        competition, worker = held[n // 20], workers[n % 20]
        entry(competition, worker, world.enterprise_b, prize="third" if n % 3 == 0 else None,
              members=(worker, workers[20 + n % 20]) if competition.is_team else ())
    db.session.commit()
    assert page_counts(client, url) == few
    page = client.get(url).get_data(as_text=True)
    assert len(_entries(page)) > 4


@pytest.mark.parametrize("basis", ["recommended", "certified"])
def test_the_promotions_export_shows_the_status_as_the_page_does(world, client, login, basis):
    build(world)
    login(client, world.admin)
    page = client.get(f"/competitions/promotions?basis={basis}&year=2026").get_data(as_text=True)
    shown = re.findall(r'data-label="状态"><span class="badge[^"]*">([^<]+)</span>', page)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" class="mb-3" data-testid="list-export"', page)
    answer = client.post(action.group(1).replace("&amp;", "&"), data={"csrf_token": token})
    sheet = load_workbook(io.BytesIO(answer.data)).active
    column = [cell.value for cell in sheet[1]].index("状态")
    exported = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(exported) == sorted(shown) and shown
    assert set(exported) <= {"待取证", "已取证", "未推荐"}
