"""The pages of the city's top ten innovation achievements (blueprints/proposals/top_ten.py): every officer
reads a year's list, only the admin sees the designation form and the remove buttons; the admin finds a
proposal by title or number without JavaScript, designates it, sees a refusal beside its field; the
report's figure leads to the list of its year and scope, its span total to the span's years (as many rows
as the total); the list costs the same queries at 10 and 1,000 designations, for a year and a span; the
proposal's page and the growth record show the honour."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from core import clock
from models import db
from models.achievements import TopAchievement
from models.proposals import Proposal, ProposalAuthor
from services.proposals import achievements
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import count_queries

Y2026 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(datetime(2026, 11, 20, 2, tzinfo=UTC)):
        yield


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_admin_finds_chooses_and_designates_a_proposal_without_javascript(world, client, login):
    proposal = ProposalFactory(proposer=world.worker_b, status="valid", title="快换模具定位销", submitted_at=Y2026)
    login(client, world.admin)
    page = client.get("/proposals/top-ten?q=快换").get_data(as_text=True)
    assert f'proposal={proposal.id}' in page and "快换模具定位销" in page
    page = client.get(f"/proposals/top-ten?q=快换&proposal={proposal.id}").get_data(as_text=True)
    assert f'name="proposal_id" type="hidden" value="{proposal.id}"' in page
    answer = client.post("/proposals/top-ten/designate", data={
        "csrf_token": csrf(page), "proposal_id": str(proposal.id), "position": "3", "citation": "降本增效"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/proposals/top-ten?year=2026")
    listing = client.get("/proposals/top-ten?year=2026").get_data(as_text=True)
    assert "快换模具定位销" in listing and "降本增效" in listing and world.enterprise_b.name in listing
    assert "入选全市十大创新成果（2026年）" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    growth = client.get(f"/titles/growth/{world.worker_b.id}").get_data(as_text=True)
    assert "入选全市十大创新成果（2026年）" in growth


def test_a_refusal_is_shown_beside_its_field_with_what_was_typed(world, client, login):
    proposal = ProposalFactory(proposer=world.worker_b, status="valid", submitted_at=Y2026)
    login(client, world.admin)
    page = client.get("/proposals/top-ten").get_data(as_text=True)
    answer = client.post("/proposals/top-ten/designate", data={
        "csrf_token": csrf(page), "proposal_id": str(proposal.id), "year": "2025", "citation": "留着"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "评选年份不能早于提案首次提交的年份（2026年）。" in text and "留着" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(TopAchievement)) == 0


def test_officers_read_the_list_and_only_the_admin_may_change_it(world, client, login):
    achievements.designate(world.admin, ProposalFactory(proposer=world.worker_b, status="valid", title="乙成果",
                                                        submitted_at=Y2026))
    db.session.commit()
    for officer in (world.hr_a, world.town_a):
        login(client, officer)
        page = client.get("/proposals/top-ten?year=2026").get_data(as_text=True)
        assert "乙成果" in page
        assert 'data-testid="top-ten-form"' not in page and 'data-testid="top-ten-remove"' not in page
    login(client, world.admin)
    page = client.get("/proposals/top-ten?year=2026").get_data(as_text=True)
    assert 'data-testid="top-ten-form"' in page and 'data-testid="top-ten-remove"' in page


def test_the_report_figure_leads_to_its_years_list_of_the_scope(world, client, login):
    mine = ProposalFactory(proposer=world.worker_a, status="valid", title="甲成果", submitted_at=Y2026)
    other = ProposalFactory(proposer=world.worker_b, status="valid", title="乙成果", submitted_at=Y2026)
    for proposal in (mine, other):
        achievements.designate(world.admin, proposal)
    db.session.commit()
    login(client, world.town_a)
    report = client.get("/report/?first=2026").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="drill-top_ten-2026"', report).group(1).replace("&amp;", "&")
    assert f"town={world.enterprise_a.town_id}" in link and "year=2026" in link
    assert 'data-testid="items-five_small-top_ten"' in report and "甲成果" in report and "乙成果" not in report
    page = client.get(link).get_data(as_text=True)
    assert "甲成果" in page and "乙成果" not in page


def _bulk(world, total: int) -> None:
    """`total` designations, ten a year from 2026 backwards (already there ones kept)."""
    campaign = CampaignFactory()
    have = db.session.scalar(db.select(db.func.count()).select_from(TopAchievement))
    for index in range(have, total):
        year, position = 2026 - index // 10, index % 10 + 1
        proposal = Proposal(campaign_id=campaign.id, enterprise_id=world.enterprise_b.id,
                            proposer_id=world.worker_b.id, kind="improvement", title=f"成果{index}", status="valid",
                            submitted_at=datetime(year, 3, 1, tzinfo=UTC))
        db.session.add(proposal)
        db.session.flush()
        db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=world.worker_b.id, share=100))
        db.session.add(TopAchievement(year=year, position=position, proposal_id=proposal.id))
    db.session.commit()


def test_the_list_costs_the_same_queries_at_1_and_1000_designations(world, app, login):
    """One row in the year shown, then its ten and 990 of other years (the year list grows too)."""
    counts = []
    for total, shown in ((1, 1), (1000, 10)):
        _bulk(world, total)
        for user in (world.admin, world.hr_b):
            client = login(app.test_client(), user)
            client.get("/proposals/top-ten?year=2026")
            with count_queries() as counter:
                answer = client.get("/proposals/top-ten?year=2026")
            assert answer.status_code == 200
            assert answer.get_data(as_text=True).count('data-testid="top-ten-row"') == shown
            counts.append(counter.count)
    assert counts[:2] == counts[2:], counts


def test_the_span_total_leads_to_the_spans_lists_newest_year_first(world, client, login):
    """Designations of 2024, 2025 and 2026: the report over 2025-2026 links its total to the list of both
    years (newest first, a year column), of the reader's town, as many rows as the total."""
    for year, title, worker in ((2024, "甲旧", world.worker_a), (2025, "甲前", world.worker_a),
                                (2026, "甲今", world.worker_a), (2026, "乙今", world.worker_b)):
        proposal = ProposalFactory(proposer=worker, status="valid", title=title,
                                   submitted_at=datetime(year, 3, 10, 2, tzinfo=UTC))
        achievements.designate(world.admin, proposal)
    db.session.commit()
    login(client, world.town_a)
    report = client.get("/report/?first=2025&last=2026").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="drill-top_ten-total"', report).group(1).replace("&amp;", "&")
    assert "first=2025" in link and "last=2026" in link and f"town={world.enterprise_a.town_id}" in link
    total = re.search(r'data-testid="drill-top_ten-total" title="[^"]*">([^<]+)<', report).group(1).strip()
    page = client.get(link).get_data(as_text=True)
    assert 'data-testid="top-ten-span"' in page
    years = re.findall(r'data-testid="top-ten-year">(\d+)<', page)
    assert years == ["2026", "2025"] and len(years) == int(total) == page.count('data-testid="top-ten-row"')
    assert page.index("甲今") < page.index("甲前") and "乙今" not in page and "甲旧" not in page
    assert client.get("/proposals/top-ten?first=2026&last=2025").status_code == 404
    assert client.get("/proposals/top-ten?first=2020&last=2026").status_code == 404


def test_a_span_costs_the_same_queries_at_10_and_1000_designations(world, app, login):
    """Five years asked for: ten rows (2026 alone), then fifty (ten a year), of 1,000 designations."""
    counts = []
    for total, shown in ((10, 10), (1000, 50)):
        _bulk(world, total)
        client = login(app.test_client(), world.admin)
        client.get("/proposals/top-ten?first=2022&last=2026")
        with count_queries() as counter:
            answer = client.get("/proposals/top-ten?first=2022&last=2026")
        assert answer.status_code == 200
        assert answer.get_data(as_text=True).count('data-testid="top-ten-row"') == shown
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def _filters_as_sent(page: str) -> dict[str, str]:
    """What the filter bar sends when 查看 is pressed unchanged: its hidden inputs and each select's selected
    option (a disabled option sends nothing)."""
    bar = re.search(r'data-testid="top-ten-filters">(.*?)</form>', page, re.S).group(1)
    sent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', bar))
    for name, options in re.findall(r'<select[^>]* name="(\w+)">(.*?)</select>', bar, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected( disabled)?>', options)
        if chosen and not chosen.group(2):
            sent[name] = chosen.group(1)
    return sent


def test_pressing_view_unchanged_keeps_the_span_and_the_rows_are_counted(world, client, login):
    """The span's list (2025-2026, town A): 查看 pressed unchanged still lists both years of the town (not
    this year alone), and the page says how many rows it lists; a year chosen in the bar wins over the span."""
    for year, title in ((2025, "甲前"), (2026, "甲今")):
        achievements.designate(world.admin, ProposalFactory(
            proposer=world.worker_a, status="valid", title=title, submitted_at=datetime(year, 3, 10, 2, tzinfo=UTC)))
    db.session.commit()
    login(client, world.admin)
    town = world.enterprise_a.town_id
    page = client.get(f"/proposals/top-ten?first=2025&last=2026&town={town}").get_data(as_text=True)
    sent = _filters_as_sent(page)
    assert sent == {"year": "", "first": "2025", "last": "2026", "town": str(town)}
    again = client.get("/proposals/top-ten", query_string=sent).get_data(as_text=True)
    assert re.findall(r'data-testid="top-ten-year">(\d+)<', again) == ["2026", "2025"]
    assert 'data-testid="top-ten-count">共 2 条<' in again
    one = client.get("/proposals/top-ten", query_string=dict(sent, year="2025")).get_data(as_text=True)
    assert "甲前" in one and "甲今" not in one and 'data-testid="top-ten-count">共 1 条<' in one
