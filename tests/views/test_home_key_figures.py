"""The officers' home pages show the key figures of their scope for this year against last year
(services/report/keys.py), the same numbers as the report, each linking to its part of the report, in a
fixed number of queries: seven aggregates when the counted data changed, one (the data version) when not
(services/common/figures_cache.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from core import clock
from models import db
from services.common import figures_cache
from services.report import keys
from services.report import scope as scopes
from tests.factories import WorkerFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import count_queries

NOW = datetime(2026, 6, 1, 2, tzinfo=UTC)
Y2026 = datetime(2026, 5, 10, 2, tzinfo=UTC)
Y2025 = datetime(2025, 5, 10, 2, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def build(world):
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", submitted_at=Y2026)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted", submitted_at=Y2026)
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", submitted_at=Y2026)
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", submitted_at=Y2025)
    db.session.commit()


def card(page: str, key: str) -> tuple[str, str, str]:
    block = re.search(rf'<a class="card[^"]*" href="([^"]+)" data-testid="key-{key}">(.*?)</a>', page, re.S)
    value = re.search(r'data-testid="key-value">([^<]+)<', block.group(2)).group(1)
    before = re.sub(r"<[^>]+>", "", re.search(r'data-testid="key-before">(.*?)</div>', block.group(2),
                                               re.S).group(1)).strip()
    return block.group(1), value, before


def test_each_officer_sees_this_year_against_last_for_their_scope(world, client, login):
    build(world)
    expected = {"admin": ("3", "去年 1 · +200.0%"), "hr_a": ("2", "去年 0"), "town_b": ("1", "去年 1 · 0.0%")}
    for persona, (value, before) in expected.items():
        login(client, world.persona(persona))
        page = client.get("/").get_data(as_text=True)
        link, shown, last_year = card(page, "five_small-collected")
        assert (shown, last_year) == (value, before), persona
        assert link.replace("&amp;", "&") == "/report/?first=2026#part-five_small"
        for key in ("five_small-valid", "five_small-people", "competitions-held", "competitions-person_times",
                    "mentoring-formed", "titles-awarded"):
            assert f'data-testid="key-{key}"' in page, (persona, key)


def test_the_report_has_the_parts_the_cards_link_to(world, client, login):
    login(client, world.admin)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    for part in ("five_small", "competitions", "mentoring", "titles"):
        assert f'id="part-{part}"' in page


def test_a_worker_has_no_key_figures(world, client, login):
    login(client, world.worker_a)
    assert 'data-testid="home-key-figures"' not in client.get("/").get_data(as_text=True)


def test_seven_queries_whatever_the_records_and_one_when_nothing_changed(world, client, login):
    keys.key_figures(world.admin)  # the admin's row and roles loaded
    figures_cache.clear()
    with count_queries() as computed:
        keys.key_figures(world.admin)
    assert computed.count == 1 + 7, computed.statements  # the data version, then one per figure
    with count_queries() as unchanged:
        keys.key_figures(world.admin)
    assert unchanged.count == 1, unchanged.statements  # the data version only
    login(client, world.admin)
    client.get("/")
    with count_queries() as before:
        client.get("/")
    campaign = CampaignFactory()
    for _ in range(12):
        ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a), status="valid",
                        submitted_at=Y2026)
    db.session.commit()
    with count_queries() as after:
        page = client.get("/").get_data(as_text=True)
    # the same page, its figures (and the city's active enterprises) counted again once
    assert after.count == before.count + 7 + 1
    assert card(page, "five_small-collected")[1] == "12"
    with count_queries() as again:
        client.get("/")
    assert again.count == before.count


def test_a_town_officers_home_names_their_town_from_its_figures(world, client, login):
    """The home page's town figures carry the town's name: the key figures' scope (scope.own_scope) is
    the one resolve gives, without reading the town again; another town (or none) is resolved as before."""
    officer = world.persona("town_b")
    own = {"id": officer.town_id, "name": str(scopes.resolve(officer).name)}
    assert scopes.own_scope(officer, own) == scopes.resolve(officer)
    assert scopes.own_scope(officer, {"id": -1, "name": "x"}) == scopes.own_scope(officer) == scopes.resolve(officer)
    assert scopes.own_scope(world.admin, own) == scopes.resolve(world.admin)
    login(client, officer)
    client.get("/")
    with count_queries() as q:
        page = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-key-figures"' in page and 'data-testid="home-town"' in page
    assert not [s for s in q.statements if "town.sort_order" in s], q.statements  # no Town loaded
