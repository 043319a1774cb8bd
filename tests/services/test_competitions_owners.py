"""Owners of competitions (issue 14, first part): every competition has an owner (existing ones: the
city); an enterprise's own competition (选拔赛) exists only for its people and the levels above, and
only its own workers may enter it. Running it by its owner is not switched on yet (see
services.competitions.policy.can_run_competition)."""

from __future__ import annotations

import pytest

from models import db
from services.competitions import catalogue, eligibility, setup
from services.competitions import policy as competitions_policy
from services.errors import NotFound
from tests.factories_competitions import CompetitionFactory


def own_competition(enterprise, **kw):
    return CompetitionFactory(owner_level="enterprise", owner_enterprise_id=enterprise.id, level="enterprise", **kw)


def test_existing_competitions_are_the_citys(world):
    competition = CompetitionFactory()
    assert competition.owner_level == "city"
    assert competitions_policy.can_run_competition(world.admin, competition)
    assert not competitions_policy.can_run_competition(world.hr_a, competition)


def test_an_enterprise_competition_belongs_to_its_hr_and_is_overseen_by_the_city(world):
    competition = own_competition(world.enterprise_b, status="open")
    assert competitions_policy.can_run_competition(world.hr_b, competition)
    for persona in ("hr_a", "admin", "worker_b"):
        assert not competitions_policy.can_run_competition(world.persona(persona), competition), persona
    assert competitions_policy.can_see_competition(world.admin, competition)
    assert competitions_policy.can_see_competition(world.worker_b, competition)
    with pytest.raises(NotFound):
        setup.get_competition(world.hr_a, competition.id)
    with pytest.raises(NotFound):
        setup.get_competition(world.worker_a, competition.id)


def test_lists_show_an_enterprise_competition_to_its_people_only(world):
    city = CompetitionFactory(status="open")
    of_b = own_competition(world.enterprise_b, status="open")

    def listed(actor):
        return {c.id for c in db.session.scalars(catalogue.competitions_query(actor))}

    assert listed(world.worker_b) == listed(world.hr_b) == {city.id, of_b.id}
    assert listed(world.worker_a) == listed(world.hr_a) == {city.id}
    assert listed(world.admin) == {city.id, of_b.id}


def test_the_kept_list_pages_are_the_competitions_query_for_each_reader_and_filter(world):
    """catalogue.competitions_page (kept statements: the reader and the filters bind parameters) lists
    what competitions_query lists, in its order, with its total, whoever asked first; open_for_worker's
    competitions are the open ones."""
    from datetime import date, timedelta

    from core import clock

    town_a, town_b = world.enterprise_a.town_id, world.enterprise_b.town_id
    made = [CompetitionFactory(status="open"), CompetitionFactory(status="draft"),
            CompetitionFactory(status="scoring", held_on=date(2025, 3, 1)),
            CompetitionFactory(registration_closes_at=clock.now() - timedelta(days=1)),
            own_competition(world.enterprise_a, status="open"), own_competition(world.enterprise_b, status="draft"),
            CompetitionFactory(owner_level="town", owner_town_id=town_a, level="town", status="open"),
            CompetitionFactory(owner_level="town", owner_town_id=town_b, level="town", status="draft")]
    db.session.commit()
    filters = [{}, {"year": 2025}, {"status": "open"}, {"level_code": "enterprise"}, {"trade_id": made[0].trade_id},
               {"status": "draft", "year": clock.today().year}]
    for persona in ("worker_a", "town_b", "admin", "hr_a", "judge", "town_a", "worker_b", "hr_b"):
        actor = world.persona(persona)
        for chosen in filters:
            expected = [row.id for row in db.session.execute(catalogue.competitions_query(actor, rows=True, **chosen))]
            page = catalogue.competitions_page(actor, 1, 3, **chosen)
            assert ([c.id for c in page.items], page.total) == (expected[:3], len(expected)), (persona, chosen)
            beyond = catalogue.competitions_page(actor, 9, 3, **chosen)
            assert (beyond.items, beyond.total) == ([], len(expected)), (persona, chosen)
        open_ids = [c.id for c in db.session.scalars(catalogue.competitions_query(actor, open_only=True))]
        assert [row.competition.id for row in eligibility.open_for_worker(actor)] == open_ids, persona


def test_only_its_own_workers_may_enter_an_enterprise_competition(world):
    competition = own_competition(world.enterprise_b, status="open", eligible_trades=[])
    problems_a = [str(p) for p in eligibility.eligibility_problems(competition, world.worker_a)]
    problems_b = [str(p) for p in eligibility.eligibility_problems(competition, world.worker_b)]
    assert any("其他企业内部的选拔赛" in p for p in problems_a)
    assert not any("选拔赛" in p for p in problems_b)


# --- an enterprise runs its own selection contest (选拔赛) ------------------------------------------------


def selection_data(world, **kw):
    from datetime import timedelta

    from core import clock

    opens = clock.now()
    data = setup.CompetitionData(
        name="甲企针车工选拔赛", trade_id=world.worker_a.trade_id, held_on=(opens + timedelta(days=30)).date(),
        registration_opens_at=opens, registration_closes_at=opens + timedelta(days=10), capacity=10,
        items=[("针车", 100)], prize_tiers=[(1, 1, "first", None)], level="city", judge_min_level=1)
    for key, value in kw.items():
        setattr(data, key, value)
    return data


def test_hr_sets_up_and_opens_its_own_selection_contest_at_enterprise_level(world):
    from services.errors import NotAllowed

    competition = setup.create_competition(world.hr_a, selection_data(world))
    assert (competition.owner_level, competition.owner_enterprise_id, competition.level) == (
        "enterprise", world.enterprise_a.id, "enterprise")  # the level follows the owner
    with pytest.raises(NotAllowed):
        setup.open_competition(world.admin, competition)  # the city oversees, the owner runs
    with pytest.raises(NotFound):
        setup.open_competition(world.hr_b, competition)
    setup.open_competition(world.hr_a, competition)
    assert competition.status == "open"
    with pytest.raises(NotAllowed):
        setup.create_competition(world.worker_a, selection_data(world))


def test_its_panel_is_its_own_staff_who_may_mark_their_colleagues(world):
    from decimal import Decimal

    from models.competitions import CONFIRMED, SCORING, CompetitionRegistration
    from services.competitions import judging
    from services.errors import RuleViolation
    from tests.factories import WorkerFactory

    competition = own_competition(world.enterprise_a, status=SCORING, judge_min_level=1)
    colleague = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    with pytest.raises(RuleViolation) as refused:
        judging.assign_judge(world.hr_a, competition, world.judge)  # the city's judge, of enterprise B
    assert refused.value.field == "judge_id"
    judging.assign_judge(world.hr_a, competition, colleague)
    entry = CompetitionRegistration(competition=competition, worker=world.worker_a,
                                    enterprise_id=world.enterprise_a.id, status=CONFIRMED, competitor_no=1)
    db.session.add(entry)
    db.session.commit()
    # Same enterprise is no conflict in the enterprise's own contest; their own entry still is.
    assert judging.enter_practical_marks(colleague, entry, {competition.items[0].id: "88"}) == 1
    assert judging.judge_marks(colleague, entry) == {competition.items[0].id: Decimal("88.00")}
    own = CompetitionRegistration(competition=competition, worker=colleague, enterprise_id=world.enterprise_a.id,
                                  status=CONFIRMED, competitor_no=2)
    db.session.add(own)
    db.session.commit()
    with pytest.raises(NotFound):
        judging.enter_practical_marks(colleague, own, {competition.items[0].id: "99"})


def test_the_results_of_an_enterprise_contest_are_not_on_the_public_page(world):
    from services.competitions import results

    own_competition(world.enterprise_a, status="final")
    city = CompetitionFactory(status="final")
    assert [c.id for c in results.public_competitions()] == [city.id]


def final_selection_contest(world, workers):
    """Enterprise A's final selection contest with `workers` ranked in that order."""
    from decimal import Decimal

    from models.competitions import CONFIRMED, FINAL, CompetitionRegistration, CompetitionResult

    source = own_competition(world.enterprise_a, status=FINAL)
    for i, worker in enumerate(workers):
        entry = CompetitionRegistration(competition=source, worker=worker, enterprise_id=worker.enterprise_id,
                                        status=CONFIRMED, competitor_no=i + 1)
        db.session.add(entry)
        db.session.flush()
        db.session.add(CompetitionResult(competition_id=source.id, registration_id=entry.id, theory=Decimal(90 - i),
                                         practical=Decimal(90 - i), total=Decimal(90 - i), judges=3, rank=i + 1,
                                         position=i + 1))
    db.session.commit()
    return source


def test_a_selection_contest_enters_its_top_n_into_the_city_competition_within_its_cap(world):
    from services.competitions import recommendation
    from tests.factories import WorkerFactory

    workers = [world.worker_a] + [WorkerFactory(enterprise=world.enterprise_a, trade=world.worker_a.trade,
                                                birth_date=world.worker_a.birth_date) for _ in range(3)]
    source = final_selection_contest(world, workers)
    city = CompetitionFactory(trade=world.worker_a.trade, per_enterprise_cap=2, capacity=10)
    assert recommendation.targets_for(world.hr_a, source) == [city]
    outcomes = recommendation.recommend_top(world.hr_a, source, city, 3)
    db.session.commit()
    assert [(o.worker.id, o.entry is not None) for o in outcomes] == [
        (workers[0].id, True), (workers[1].id, True), (workers[2].id, False)]
    assert "上限" in outcomes[2].reason  # the city's per-enterprise cap holds
    assert city.seats_taken == 2


def test_only_the_owner_recommends_and_only_final_results(world):
    from models.competitions import SCORING
    from services.competitions import recommendation
    from services.errors import NotAllowed, RuleViolation

    source = final_selection_contest(world, [world.worker_a])
    city = CompetitionFactory(trade=world.worker_a.trade)
    with pytest.raises(NotAllowed):
        recommendation.recommend_top(world.admin, source, city, 1)
    with pytest.raises(NotFound):
        recommendation.recommend_top(world.hr_b, source, city, 1)
    with pytest.raises(RuleViolation) as refused:
        recommendation.recommend_top(world.hr_a, source, city, 0)
    assert refused.value.field == "top_n"
    source.status = SCORING
    with pytest.raises(RuleViolation):
        recommendation.recommend_top(world.hr_a, source, city, 1)


def test_hr_lists_its_own_drafts_and_not_the_citys(world):
    own_draft = own_competition(world.enterprise_a, status="draft")
    CompetitionFactory(status="draft")
    listed = {c.id for c in db.session.scalars(catalogue.competitions_query(world.hr_a))}
    assert own_draft.id in listed and len(listed) == 1
    assert own_draft.id not in {c.id for c in db.session.scalars(catalogue.competitions_query(world.worker_a))}


def test_competition_figures_per_owner_count_entries_and_distinct_people(world):
    from models.competitions import CompetitionRegistration
    from services.competitions import figures

    source = final_selection_contest(world, [world.worker_a])  # enterprise A's contest, worker_a entered
    city = CompetitionFactory()

    def enter(competition, worker, number):
        db.session.add(CompetitionRegistration(competition=competition, worker=worker, competitor_no=number,
                                               enterprise_id=worker.enterprise_id, status="confirmed"))

    enter(source, world.hr_a, 9)
    enter(city, world.worker_b, 1)
    enter(city, world.worker_a, 2)
    db.session.commit()
    mine = figures.figures(world.hr_a)
    assert (mine.competitions, mine.entries, mine.people) == (1, 2, 2)
    city_own = figures.figures(world.admin, own_only=True)
    assert (city_own.competitions, city_own.entries, city_own.people) == (1, 2, 2)
    everything = figures.figures(world.admin)
    assert (everything.competitions, everything.entries, everything.people) == (2, 4, 3)  # worker_a counted once
