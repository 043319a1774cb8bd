"""Competitions at every level over HTTP (issue 14): a town officer's form and prize rewards (奖金); the
levels above see an enterprise's or a town's competition read-only, with its entry counts and ranking
and without its owner's buttons; HR of another enterprise finds nothing (404)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from models import db
from models.competitions import CONFIRMED, FINAL, Competition, CompetitionRegistration, CompetitionResult
from tests.factories import WorkerFactory
from tests.factories_competitions import CompetitionFactory

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _form(world, **overrides):
    data = {
        "name": "陈埭镇针车工选拔赛", "trade_id": str(world.worker_a.trade_id), "level": "city", "description": "",
        "venue": "", "held_on": "2026-06-20", "registration_opens_at": "2026-05-10T09:00",
        "registration_closes_at": "2026-06-10T18:00", "capacity": "40", "min_age": "16", "max_age": "60",
        "members_only": "y", "theory_weight": "30", "practical_weight": "70", "items": "针车 100",
        "min_judges": "3", "judge_min_level": "4", "prize_tiers": "1-1 一等奖\n2-3 二等奖", "promote_top_n": "0",
        "reward_first": "2,000", "reward_second": "800",
    }
    data.update(overrides)
    return data


def final_contest(world, owner: dict, rewards: dict | None = None):
    """A final competition of `owner` (columns) with two of enterprise B's workers ranked 1 and 2."""
    contest = CompetitionFactory(status=FINAL, **owner, **(rewards or {}))
    for i, worker in enumerate((world.worker_b, WorkerFactory(enterprise=world.enterprise_b, name="林秀英"))):
        entry = CompetitionRegistration(competition=contest, worker=worker, enterprise_id=world.enterprise_b.id,
                                        status=CONFIRMED, competitor_no=i + 1)
        db.session.add(entry)
        db.session.flush()
        db.session.add(CompetitionResult(competition_id=contest.id, registration_id=entry.id, theory=Decimal(90 - i),
                                         practical=Decimal(90 - i), total=Decimal(90 - i), judges=3, rank=i + 1,
                                         position=i + 1, prize=("first", "second")[i]))
    db.session.commit()
    return contest


def test_a_town_officer_sets_up_a_town_contest_with_rewards(client, login, world):
    login(client, world.town_a)
    page = client.get("/competitions/").get_data(as_text=True)
    assert 'data-testid="new-town-contest"' in page
    form = client.get("/competitions/new").get_data(as_text=True)
    assert "镇街级" in form and "reward_first" in form
    refused = client.post("/competitions/new", data=_form(world, reward_second="12.345"))
    assert refused.status_code == 200
    assert db.session.scalar(select(Competition)) is None  # a refused form writes nothing
    assert client.post("/competitions/new", data=_form(world)).status_code == 302
    contest = db.session.scalar(select(Competition))
    assert (contest.owner_level, contest.level, contest.reward_first, contest.reward_second, contest.reward_third) == (
        "town", "town", Decimal("2000.00"), Decimal("800.00"), None)
    shown = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert 'data-testid="admin-actions"' in shown and "2,000" in shown  # the owner's buttons; the prize table
    edit = client.get(f"/competitions/{contest.id}/edit").get_data(as_text=True)
    assert 'value="2000.00"' in edit


@pytest.mark.parametrize("viewer", ["admin", "town_b"])
def test_the_levels_above_see_an_enterprise_contest_read_only_with_counts_and_ranking(client, login, world, viewer):
    contest = final_contest(world, {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id,
                                    "level": "enterprise"}, {"reward_first": Decimal("1000")})
    login(client, world.persona(viewer))
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert 'data-testid="overseer-view"' in page and 'data-testid="entry-counts"' in page
    assert 'data-testid="ranking"' in page and "林秀英" in page and "1,000" in page  # ranking with the reward
    assert 'data-testid="admin-actions"' not in page and "recommend-top" not in page
    assert f"/competitions/{contest.id}/edit" not in page


def test_the_city_sees_a_town_contest_read_only_and_the_town_runs_it(client, login, world):
    contest = final_contest(world, {"owner_level": "town", "owner_town_id": world.enterprise_b.town_id,
                                    "level": "town"})
    login(client, world.admin)
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert 'data-testid="overseer-view"' in page and 'data-testid="ranking"' in page
    assert 'data-testid="admin-actions"' not in page
    assert f"/competitions/results/{contest.id}" not in page  # only the city's results are public
    login(client, world.town_b)
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert 'data-testid="admin-actions"' in page and 'data-testid="overseer-view"' not in page


@pytest.mark.parametrize("viewer", ["hr_a", "town_a", "worker_a"])
def test_another_enterprise_or_town_finds_nothing(client, login, world, viewer):
    of_b = final_contest(world, {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id,
                                 "level": "enterprise"})
    login(client, world.persona(viewer))
    assert client.get(f"/competitions/{of_b.id}").status_code == 404
    assert client.get(f"/competitions/{of_b.id}/registrations").status_code in (403, 404)


def test_the_same_enterprises_worker_sees_no_counts(client, login, world):
    contest = final_contest(world, {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id,
                                    "level": "enterprise"})
    login(client, world.worker_b)
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert 'data-testid="entry-counts"' not in page and 'data-testid="overseer-view"' not in page


def test_the_figures_page_shows_competition_rewards_paid(client, login, world):
    final_contest(world, {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id,
                          "level": "enterprise"}, {"reward_first": Decimal("1000"), "reward_second": Decimal("500.5")})
    login(client, world.hr_b)
    page = client.get("/proposals/figures").get_data(as_text=True)
    assert 'data-testid="contest-rewards"' in page and "1,500.5" in page


def test_the_city_looks_at_an_enterprise_contests_entries_without_review_buttons(client, login, world):
    contest = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 level="enterprise")
    db.session.add(CompetitionRegistration(competition=contest, worker=world.worker_b, status=CONFIRMED,
                                           enterprise_id=world.enterprise_b.id, competitor_no=1))
    db.session.commit()
    login(client, world.admin)
    page = client.get(f"/competitions/{contest.id}/registrations").get_data(as_text=True)
    assert world.worker_b.name in page and "/approve" not in page and "/reject" not in page
    login(client, world.hr_b)  # its owner reviews
    page = client.get(f"/competitions/{contest.id}/registrations").get_data(as_text=True)
    assert "/approve" in page


def test_the_winner_sees_the_prize_money_of_their_prize(client, login, world):
    contest = final_contest(world, {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id,
                                    "level": "enterprise"}, {"reward_first": Decimal("1200")})
    login(client, world.worker_b)
    mine = client.get("/competitions/mine").get_data(as_text=True)
    assert 'data-testid="reward"' in mine and "1,200" in mine
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    own = page[page.index('data-testid="own-result"'):]
    assert "1,200" in own[:own.index("</dl>")]
