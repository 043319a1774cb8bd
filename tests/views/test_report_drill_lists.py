"""Every list opened from the yearly report behaves the same way (blueprints/report report_origin;
templates/_macros/ui.html pager, keyset_pager, filter_status, report_back):

1. it says how many rows it holds ("共 N 条", the pager's words: keyset lists take the figure or a count
   memoised per data version), and that number is the rows it lists;
2. it links back to the report of the same scope and span ("返回统计报告");
3. the report's own arguments (span, scope, the figure's) are stated by its "统计报告口径" line, never
   counted by the "已筛选 N 项" badge: arriving from the report shows no badge on any list; a filter the
   reader adds is counted (1), and 清除筛选 returns to the figure's whole list.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from models import db
from tests.querycount import page_counts
from tests.views import test_report_drill_competitions as competitions
from tests.views import test_report_drill_five_small as five_small
from tests.views import test_report_drill_mentoring as mentoring
from tests.views import test_report_drill_titles as titles
from tests.views import test_report_drill_training as training

AREAS = {"five_small": five_small.build, "competitions": competitions.build, "mentoring": mentoring.build,
         "training": training.build, "titles": titles.build}
# what names the figure in a list's address besides the span and scope (one link of each is followed)
FIGURE_ARGS = ("stage", "figure", "basis", "subject", "report")


def drill_links(page: str) -> list[str]:
    """The report page's drill-down links, one per list and figure kind (see FIGURE_ARGS)."""
    seen, links = set(), []
    for href in re.findall(r'<a href="([^"]+)" data-testid="drill-[^"]+"', page):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        args = parse_qs(parts.query)
        kind = (parts.path, *(args.get(name, [""])[0] for name in FIGURE_ARGS))
        if kind not in seen:
            seen.add(kind)
            links.append(href)
    return links


def rows_listed(page: str) -> int:
    """The rows of the page's list (its first table of cards; the "nothing found" row is not a row)."""
    table = page[page.index("table-cards"):]
    body = table[table.index("<tbody"):table.index("</tbody>")]
    return len([row for row in re.findall(r"<tr\b(.*?)</tr>", body, re.S) if "colspan=" not in row])


def row_count(page: str) -> int:
    found = re.findall(r">共 (\d+) 条<", page)
    assert len(found) == 1, found
    return int(found[0])


def back_link(page: str) -> dict:
    found = re.findall(r'<a href="([^"]+)" data-testid="back-to-report">返回统计报告</a>', page)
    assert len(found) == 1, found
    parts = urlsplit(found[0].replace("&amp;", "&"))
    assert parts.path == "/report/"
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def expected_report(link: str) -> dict:
    """The report address a list opened by `link` leads back to: its scope, and its year as a span."""
    args = {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}
    span = ({"first": args["year"], "last": args["year"]} if "year" in args
            else {"first": args["first"], "last": args["last"]})
    return span | {name: args[name] for name in ("town", "enterprise") if name in args}


@pytest.mark.parametrize("area", list(AREAS))
@pytest.mark.parametrize("who", ["admin", "hr_b"])
def test_every_list_behind_the_report_counts_its_rows_links_back_and_shows_no_badge(world, client, login, area,
                                                                                     who):
    AREAS[area](world)
    reader = getattr(world, who)
    login(client, reader)
    query = f"town={world.enterprise_b.town_id}&first=2026" if who == "admin" else "first=2026"
    report = client.get(f"/report/?{query}").get_data(as_text=True)
    section = report[report.index(f'data-testid="section-{area}"'):]
    links = drill_links(section[:section.index("</section>")])
    assert links, area
    for link in links:
        answer = client.get(link)
        assert answer.status_code == 200, link
        page = answer.get_data(as_text=True)
        assert row_count(page) == rows_listed(page), link
        assert back_link(page) == expected_report(link), link
        assert 'data-testid="filter-status"' not in page, link
        assert 'data-testid="report-filter"' in page or 'data-testid="top-ten-span"' in page or \
            "/proposals/top-ten" in link, link


def test_the_keyset_lists_say_how_many_rows_they_hold_on_every_page(world, client, login, app):
    """Past the first page the total stays (it is the list's, not the page's)."""
    titles.build(world)
    login(client, world.admin)
    url = "/titles/awards?basis=awarded&year=2026"
    whole = client.get(url).get_data(as_text=True)
    total = rows_listed(whole)
    assert total > 2 and row_count(whole) == total
    app.config["PAGE_SIZE"] = 1
    try:
        first = client.get(url).get_data(as_text=True)
        assert rows_listed(first) == 1 and row_count(first) == total
        after = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
        second = client.get(after).get_data(as_text=True)
        assert rows_listed(second) == 1 and row_count(second) == total
    finally:
        app.config["PAGE_SIZE"] = 20


def badge(page: str) -> str | None:
    found = re.search(r'data-testid="filter-status" data-filters="([^"]*)">\s*<span[^>]*>已筛选 (\d+) 项</span>\s*'
                      r'<a class="[^"]*" href="([^"]+)"', page)
    if found is None:
        return None
    return found.group(1), int(found.group(2)), found.group(3).replace("&amp;", "&")


# A list opened from the report, and a filter the reader may add to it (None: every filter of the list is
# one of the figure's, which its 统计报告口径 line states).
ADDED = [("five_small", "/proposals/list?stage=valid&year=2026&town={town}", "q", "不存在的标题"),
         ("competitions", "/competitions/?report=1&year=2026&town={town}", "status", "final"),
         ("mentoring", "/mentorship/pairs?figure=formed&year=2026&town={town}", "q", "不存在"),
         ("five_small", "/proposals/top-ten?year=2026&town={town}", None, None),
         ("five_small", "/titles/higher?level=province&prize=first&subject=proposal&year=2026", None, None),
         ("competitions", "/competitions/entries?figure=prizes&level=city&year=2026&town={town}", None, None),
         ("competitions", "/competitions/promotions?basis=recommended&year=2026&town={town}", None, None),
         ("training", "/training/report-records?figure=attendances&year=2026&town={town}", None, None),
         ("titles", "/titles/awards?basis=awarded&level=city&year=2026&town={town}", None, None),
         ("titles", "/titles/nominations?year=2026&town={town}", None, None)]


@pytest.mark.parametrize("area, url, name, value", ADDED)
def test_the_badge_counts_what_the_reader_added_and_clearing_keeps_the_figure(world, client, login, area, url, name,
                                                                             value):
    AREAS[area](world)
    login(client, world.admin)
    url = url.format(town=world.enterprise_b.town_id)
    arrived = client.get(url).get_data(as_text=True)
    assert badge(arrived) is None, url
    if name is None:
        return
    narrowed = client.get(f"{url}&{name}={value}").get_data(as_text=True)
    filters, number, clear = badge(narrowed)
    assert (filters, number) == (name, 1)
    assert parse_qs(urlsplit(clear).query) == parse_qs(urlsplit(url).query)
    assert urlsplit(clear).path == urlsplit(url).path


def test_without_the_report_the_same_arguments_are_filters(world, client, login):
    """The competitions list opened from the menu: a year picked there is a filter (counted), and no link
    leads to a report."""
    competitions.build(world)
    login(client, world.admin)
    page = client.get("/competitions/?year=2026&level=city").get_data(as_text=True)
    filters, number, clear = badge(page)
    assert (sorted(filters.split()), number, clear) == (["level", "year"], 2, "/competitions/")
    assert 'data-testid="back-to-report"' not in page


def test_a_worker_s_own_list_has_no_link_to_a_report(world, client, login):
    login(client, world.worker_a)
    page = client.get("/proposals/list?mine=1&year=2026").get_data(as_text=True)
    assert 'data-testid="back-to-report"' not in page


def _more_titles(world, n: int) -> None:
    from datetime import UTC, date, datetime

    from models.titles import TitleRound
    from tests.factories import WorkerFactory
    from tests.factories_titles import default_titles

    b = world.enterprise_b
    city = default_titles()["晋江工匠"]
    title_round = db.session.scalar(db.select(TitleRound).where(TitleRound.title_type_id == city.id,
                                                                TitleRound.year == 2026))
    if title_round is None:
        title_round = TitleRound(title_type_id=city.id, year=2026, deadline=datetime(2026, 9, 1, tzinfo=UTC),
                                 quota=50)
        db.session.add(title_round)
        db.session.flush()
    for _ in range(n):
        worker = WorkerFactory(enterprise=b)
        titles.award(city, worker, b, date(2026, 5, 1))
        titles.nomination(title_round, worker, b, world.hr_b, titles.MAY)
    db.session.commit()


def _more_higher(world, n: int) -> None:
    from datetime import date

    from tests.factories import WorkerFactory

    for k in range(n):
        five_small._higher(world, world.enterprise_b.id, "province", "first", date(2026, 6, 1 + k % 20),
                           person=WorkerFactory(enterprise=world.enterprise_b))
    db.session.commit()


@pytest.mark.parametrize("url", ["/titles/awards?basis=awarded&year=2026&town={town}",
                                 "/titles/nominations?year=2026&town={town}",
                                 "/titles/higher?level=province&prize=first&year=2026"])
def test_the_counted_lists_cost_the_same_for_more_rows(world, client, login, url):
    """The keyset lists' totals are one count memoised per data version: the queries of a view do not
    grow with the rows (tests/querycount.py: cold and memoised)."""
    login(client, world.admin)
    url = url.format(town=world.enterprise_b.town_id)
    _more_titles(world, 2)
    _more_higher(world, 2)
    few = page_counts(client, url)
    _more_titles(world, 30)
    _more_higher(world, 30)
    many = page_counts(client, url)
    page = client.get(url).get_data(as_text=True)
    assert row_count(page) > 30 and rows_listed(page) == 20
    assert few == many, (few, many)
