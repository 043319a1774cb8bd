"""Scoring: arithmetic (hypothesis and worked examples), conflict of interest, audit of every
change, frozen marks after sign-off, disagreement flags, ranking with ties in one query, prizes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core import clock
from models import AuditLog, Role, db
from models.competitions import (
    SCORING,
    SIGNED_OFF,
    CompetitionItem,
    CompetitionMarkChange,
    CompetitionPrizeTier,
    CompetitionResult,
)
from services.common.scoring import trimmed_mean, weighted_total
from services.competitions import judging, results, setup
from services.errors import NotFound, RuleViolation
from tests.factories import UserFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, competition_in_scoring, reload
from tests.querycount import count_queries

marks = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(theory=marks, practical=marks, theory_weight=st.integers(0, 100))
def test_total_is_a_weighted_mean_within_its_parts(theory, practical, theory_weight):
    competition = CompetitionFactory.build(theory_weight=theory_weight, practical_weight=100 - theory_weight)
    total = results.combine(theory, practical, competition)
    low, high = min(theory, practical), max(theory, practical)
    assert low - Decimal("0.01") <= total <= high + Decimal("0.01")
    assert total == weighted_total([(theory, theory_weight), (practical, 100 - theory_weight)], 100)
    if theory == practical:
        assert total == theory


@given(values=st.lists(marks, min_size=1, max_size=9))
def test_trimmed_mean_drops_extremes_from_five_judges(values):
    result = trimmed_mean(values)
    kept = sorted(values)[1:-1] if len(values) >= 5 else values
    assert min(kept) - Decimal("0.01") <= result <= max(kept) + Decimal("0.01")
    # raising the single highest mark never changes a trimmed mean of 5+ judges
    if len(values) >= 5:
        raised = sorted(values)[:-1] + [Decimal(100)]
        assert trimmed_mean(raised) == result


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30, deadline=None)
@given(item_marks=st.lists(marks, min_size=2, max_size=2))
def test_a_judges_score_weights_the_sub_items(item_marks):
    competition = CompetitionFactory.build()
    items = competition.items
    for n, item in enumerate(items):
        item.id = n + 1
    score = results.judge_score({1: item_marks[0], 2: item_marks[1]}, items)
    assert score == weighted_total([(item_marks[0], 40), (item_marks[1], 60)], 100)
    assert results.judge_score({1: item_marks[0]}, items) is None  # incomplete


# Worked examples: judges' weighted scores -> practical; theory; 30/70 -> total.
WORKED = [
    # judges' scores, theory, practical, total
    (["80", "90", "85"], "90", "85.00", "86.50"),
    (["70", "80", "90", "100", "60"], "80", "80.00", "80.00"),  # 5 judges: drop 100 and 60
    (["88.5", "91", "90", "89.5", "95", "70"], "75.5", "89.75", "85.48"),  # 6 judges: drop 95 and 70
    (["60", "60", "60"], "100", "60.00", "72.00"),
]


@pytest.mark.parametrize(("judge_scores", "theory", "practical", "total"), WORKED)
def test_worked_examples(judge_scores, theory, practical, total):
    competition = CompetitionFactory.build()
    got_practical = trimmed_mean(Decimal(s) for s in judge_scores)
    assert got_practical == Decimal(practical)
    assert results.combine(Decimal(theory), got_practical, competition) == Decimal(total)


def _mark_all(competition, entries, judges, per_entry):
    """per_entry: list (one per entry) of lists (one per judge) of (cut, stitch) marks."""
    items = competition.items
    for entry, judge_marks in zip(entries, per_entry, strict=True):
        for judge, (cut, stitch) in zip(judges, judge_marks, strict=True):
            judging.enter_practical_marks(judge, entry, {items[0].id: cut, items[1].id: stitch})
    db.session.commit()


def test_ranking_breaks_ties_by_practical_then_shares_rank(world):
    """#1 90/85 -> 86.50; #2 78.33/90 -> 86.499 -> 86.50 (equal total, higher practical: first);
    #3 and #4 identical (shared 3rd); #5 last. Prizes (codes): 1st first, 2nd-3rd second, 4th-5th third."""
    competition, entries, judges = competition_in_scoring(competitors=5, judges=3)
    theory = ["90", "78.33", "70", "70", "50"]
    practical = [("85", "85"), ("90", "90"), ("80", "80"), ("80", "80"), ("50", "50")]
    for entry, mark, pair in zip(entries, theory, practical, strict=True):
        judging.enter_theory_mark(world.admin, entry, mark)
        for judge in judges:
            judging.enter_practical_marks(judge, entry, {i.id: v for i, v in zip(competition.items, pair,
                                                                                 strict=True)})
    db.session.commit()
    lines = {ln.registration.competitor_no: ln for ln in results.score_lines(competition)}
    assert lines[1].total == lines[2].total == Decimal("86.50")
    assert lines[2].practical > lines[1].practical
    results.sign_off(world.admin, competition)
    db.session.commit()
    ranked = [(r.registration.competitor_no, rank, r.prize) for r, rank in results.ranking(competition)]
    assert ranked == [(2, 1, "first"), (1, 2, "second"), (3, 3, "second"), (4, 3, "second"), (5, 5, "third")]
    stored = {r.registration_id: (r.rank, r.prize, r.honour) for r in db.session.scalars(select(CompetitionResult))}
    assert stored[entries[1].id] == (1, "first", "五一劳动奖章")
    assert stored[entries[4].id] == (5, "third", None)



def test_a_prize_table_holds_prize_codes_only(world):
    """The service stores codes of models.vocabulary.PRIZES; text such as a label is refused."""
    opens = clock.now()
    data = setup.CompetitionData(
        name="奖项测试", trade_id=world.worker_a.trade_id, held_on=(opens + timedelta(days=30)).date(),
        registration_opens_at=opens, registration_closes_at=opens + timedelta(days=10), capacity=10,
        items=[("裁断", 100)], prize_tiers=[(1, 1, "一等奖", None)])
    with pytest.raises(RuleViolation, match="奖项只能是一等奖、二等奖、三等奖、优秀奖之一") as refused:
        setup.create_competition(world.admin, data)
    assert refused.value.field == "prize_tiers"
    data.prize_tiers = [(1, 1, "first", "五一劳动奖章"), (2, 3, "honourable", None)]
    competition = setup.create_competition(world.admin, data)
    assert [(t.prize, str(t.prize_label)) for t in competition.prize_tiers] == [("first", "一等奖"),
                                                                                  ("honourable", "优秀奖")]


def test_ranking_query_count_does_not_grow(world):
    counts = []
    for size in (10, 200):
        competition, entries, judges = competition_in_scoring(competitors=size, judges=3)
        for entry in entries:
            judging.enter_theory_mark(world.admin, entry, "80")
            for judge in judges:
                judging.enter_practical_marks(judge, entry, {i.id: "75" for i in competition.items})
        db.session.commit()
        with count_queries() as q:
            lines = results.score_lines(competition)
        assert len(lines) == size
        results.sign_off(world.admin, competition)
        db.session.commit()
        db.session.expire_all()
        with count_queries() as r:
            ranked = results.ranking(competition)
            names = [(res.registration.worker.name, res.registration.enterprise.name) for res, _ in ranked]
        assert len(names) == size
        counts.append((q.count, r.count))
        ranking_statements = [s for s in r.statements if "rank() OVER" in s]
        assert len(ranking_statements) == 1  # the ranking itself is ONE query
    assert counts[0] == counts[1]


def test_judge_never_marks_own_enterprise_or_unassigned(world):
    competition, entries, judges = competition_in_scoring(competitors=2, judges=3)
    same_enterprise_judge = UserFactory(roles=(Role.JUDGE,), enterprise=entries[0].worker.enterprise, skill_level=5)
    judging.assign_judge(world.admin, competition, same_enterprise_judge)
    db.session.commit()
    items = {i.id: "90" for i in competition.items}
    with pytest.raises(NotFound):
        judging.enter_practical_marks(same_enterprise_judge, entries[0], items)
    assert db.session.scalars(judging.judge_queue_stmt(same_enterprise_judge, competition)).all() == []
    outsider = UserFactory(roles=(Role.JUDGE,), skill_level=5)
    with pytest.raises(NotFound):
        judging.enter_practical_marks(outsider, entries[0], items)
    # a competitor who is also a judge never marks themself
    self_judge = entries[1].worker
    self_judge.role_rows  # noqa: B018 - loaded
    from models import UserRole

    self_judge.role_rows.append(UserRole(role=Role.JUDGE.value))
    self_judge.skill_level = 5
    db.session.commit()
    with pytest.raises(NotFound):
        judging.enter_practical_marks(self_judge, entries[1], items)


def test_assigning_judges_checks_role_and_level(world):
    competition, _entries, _judges = competition_in_scoring(competitors=1, judges=0)
    low = UserFactory(roles=(Role.JUDGE,), skill_level=3)
    with pytest.raises(RuleViolation, match="低于"):
        judging.assign_judge(world.admin, competition, low)
    with pytest.raises(RuleViolation, match="不是在册评委"):
        judging.assign_judge(world.admin, competition, WorkerFactory(skill_level=6))
    assignment = judging.assign_judge(world.admin, competition, world.judge)
    with pytest.raises(RuleViolation, match="已在评委名单"):
        judging.assign_judge(world.admin, competition, world.judge)
    assert assignment.judge_id == world.judge.id


def test_every_change_is_audited_and_frozen_after_sign_off(world):
    competition, entries, judges = competition_in_scoring(competitors=1, judges=3)
    entry = entries[0]
    items = competition.items
    _mark_all(competition, entries, judges, [[("80", "80"), ("82", "84"), ("78", "90")]])
    judging.enter_practical_marks(judges[0], entry, {items[0].id: "85"})  # correction
    judging.enter_theory_mark(world.admin, entry, "70")
    judging.enter_theory_mark(world.admin, entry, "72")
    db.session.commit()
    changes = list(db.session.scalars(select(CompetitionMarkChange).order_by(CompetitionMarkChange.id)))
    assert len(changes) == 6 + 1 + 2
    correction = changes[6]
    assert (correction.old_mark, correction.new_mark, correction.judge_id) == (Decimal("80"), Decimal("85"),
                                                                              judges[0].id)
    assert db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action.in_(("competition.practical_mark", "competition.theory_mark")))) == 9

    results.sign_off(world.admin, competition)
    db.session.commit()
    assert reload(competition).status == SIGNED_OFF
    with pytest.raises(RuleViolation, match="不能录入或修改"):
        judging.enter_practical_marks(judges[0], entry, {items[0].id: "99"})
    with pytest.raises(RuleViolation, match="不能录入或修改"):
        judging.enter_theory_mark(world.admin, entry, "99")


def test_sign_off_needs_complete_marks_and_acknowledged_disagreement(world):
    competition, entries, judges = competition_in_scoring(competitors=2, judges=3)
    _mark_all(competition, entries, judges, [[("80", "80"), ("80", "80"), ("80", "80")],
                                             [("95", "95"), ("60", "60"), ("80", "80")]])
    with pytest.raises(RuleViolation, match="不完整"):
        results.sign_off(world.admin, competition)
    for entry in entries:
        judging.enter_theory_mark(world.admin, entry, "80")
    lines = results.score_lines(competition)
    assert [ln.flagged for ln in lines] == [False, True]
    assert lines[1].spread == Decimal("35.00")
    with pytest.raises(RuleViolation, match="差异较大") as error:
        results.sign_off(world.admin, competition)
    assert error.value.field == "acknowledge_flags"
    assert reload(competition).status == SCORING
    results.sign_off(world.admin, competition, acknowledge_flags=True)
    assert competition.status == SIGNED_OFF


def test_fewer_judges_than_the_minimum_blocks_sign_off(world):
    competition, entries, judges = competition_in_scoring(competitors=1, judges=2)
    _mark_all(competition, entries, judges, [[("80", "80"), ("80", "80")]])
    judging.enter_theory_mark(world.admin, entries[0], "80")
    with pytest.raises(RuleViolation, match="不完整"):
        results.sign_off(world.admin, competition)
    assert "评委不足 3 人" in str(results.score_lines(competition)[0].problems[0])


@pytest.mark.parametrize("raw", ["-1", "100.01", "abc", "85.555", "NaN", "Infinity"])
def test_marks_outside_0_100_or_with_three_decimals_are_refused(world, raw):
    competition, entries, judges = competition_in_scoring(competitors=1, judges=1)
    with pytest.raises(RuleViolation):
        judging.enter_practical_marks(judges[0], entries[0], {competition.items[0].id: raw})
    with pytest.raises(RuleViolation):
        judging.enter_theory_mark(world.admin, entries[0], raw)


def test_theory_import_reports_each_row(world):
    competition, entries, _judges = competition_in_scoring(competitors=2, judges=0)
    outcomes = judging.import_theory_marks(world.admin, competition, [
        (2, "1", "88.5"), (3, "002", "91"), (4, "7", "80"), (5, "1", "101"), (6, "1", "88.5")])
    assert [(o.row, o.outcome) for o in outcomes] == [
        (2, "saved"), (3, "saved"), (4, "refused"), (5, "refused"), (6, "unchanged")]
    assert reload(entries[1]).theory.mark == Decimal("91")


def test_theory_sheet_saves_the_filled_marks_and_refuses_foreign_entries(world):
    competition, entries, _judges = competition_in_scoring(competitors=2, judges=0)
    _other, others, _none = competition_in_scoring(competitors=1, judges=0)
    first, second = (str(e.id) for e in entries)
    assert judging.enter_theory_marks(world.admin, competition, {first: "80", second: " "}) == 1
    assert judging.enter_theory_marks(world.admin, competition, {first: "80", second: "75.5"}) == 1
    db.session.commit()
    with pytest.raises(NotFound):  # another competition's entry, whatever else the sheet holds
        judging.enter_theory_marks(world.admin, competition, {first: "81", str(others[0].id): "70"})
    with pytest.raises(NotFound):
        judging.enter_theory_marks(world.admin, competition, {"x1": "70"})
    db.session.rollback()
    assert [reload(e).theory.mark for e in entries] == [Decimal("80"), Decimal("75.5")]


def test_a_three_way_tie_across_the_last_first_prize_place_takes_the_following_tier(world):
    """The stated rule (templates/_macros/rules.html competition_tie_rule): prize table 1st-2nd first,
    3rd-5th second, 6th-8th third; three competitors equal on total AND practical at place 2 share it
    and all get first prize; the next competitor is 5th, so second prize goes to one competitor only."""
    tiers = [CompetitionPrizeTier(rank_from=1, rank_to=2, prize="first"),
             CompetitionPrizeTier(rank_from=3, rank_to=5, prize="second"),
             CompetitionPrizeTier(rank_from=6, rank_to=8, prize="third")]
    competition, entries, judges = competition_in_scoring(competitors=7, judges=3, prize_tiers=tiers)
    marks = ["95", "90", "90", "90", "85", "80", "75"]
    for entry, mark in zip(entries, marks, strict=True):
        judging.enter_theory_mark(world.admin, entry, mark)
        for judge in judges:
            judging.enter_practical_marks(judge, entry, {i.id: mark for i in competition.items})
    db.session.commit()
    results.sign_off(world.admin, competition)
    db.session.commit()
    ranked = [(r.registration.competitor_no, rank, r.prize) for r, rank in results.ranking(competition)]
    assert ranked == [(1, 1, "first"), (2, 2, "first"), (3, 2, "first"), (4, 2, "first"), (5, 5, "second"),
                      (6, 6, "third"), (7, 7, "third")]


def test_the_practical_mark_is_rounded_before_the_total(world):
    """Stated on the results page (competition_rounding_rule): judges 85.00, 85.01, 85.01 -> practical
    85.00666... rounded first to 85.01; total = 80 x 30% + 85.01 x 70% = 83.507 -> 83.51 (rounding
    only at the end would give 24 + 59.50466... = 83.50)."""
    competition, entries, judges = competition_in_scoring(competitors=1, judges=3,
                                                          items=[CompetitionItem(name="裁断", weight=100, position=0)])
    judging.enter_theory_mark(world.admin, entries[0], "80")
    for judge, mark in zip(judges, ("85.00", "85.01", "85.01"), strict=True):
        judging.enter_practical_marks(judge, entries[0], {competition.items[0].id: mark})
    db.session.commit()
    (line,) = results.score_lines(competition)
    assert (line.practical, line.total) == (Decimal("85.01"), Decimal("83.51"))


def test_theory_import_checks_names_and_skips_blank_rows(world):
    competition, entries, _judges = competition_in_scoring(competitors=2, judges=0)
    first, second = (reload(e) for e in entries)
    outcomes = judging.import_theory_marks(world.admin, competition, [
        (2, "１", "８８．５", first.worker.name), (3, "2", "90", first.worker.name), (4, "", "", ""),
        (5, "2", "90.125", "")])
    assert [(o.row, o.outcome) for o in outcomes] == [(2, "saved"), (3, "refused"), (4, "skipped"), (5, "refused")]
    assert "姓名与参赛号不符" in outcomes[1].message and second.worker.name in outcomes[1].message
    assert "最多 2 位小数" in outcomes[3].message
    assert reload(entries[0]).theory.mark == Decimal("88.5") and reload(entries[1]).theory is None


def test_a_bad_mark_in_the_sheet_is_named_by_its_cell(world):
    competition, entries, _judges = competition_in_scoring(competitors=2, judges=0)
    first, second = (str(e.id) for e in entries)
    with pytest.raises(RuleViolation) as error:
        judging.enter_theory_marks(world.admin, competition, {first: "80", second: "75.555"})
    assert error.value.field == f"theory_{second}"


def test_a_page_of_score_lines_is_the_same_as_line_by_line():
    """standings.entry_sheet sums each judge's marks in the database (whole hundredths): the same
    judge scores, incomplete judges, practical mark, total, spread and flags as score_line computes
    from the marks one by one, to the last digit (half-hundredth ties, weights that do not divide)."""
    import random

    from models.competitions import CompetitionPracticalMark, CompetitionTheoryMark
    from services.competitions import standings

    competition, entries, judges = competition_in_scoring(competitors=8, judges=6)
    items = competition.items
    items[0].weight, items[1].weight = 33, 67
    pick = random.Random(10)
    choices = [Decimal(f"{n}.{d:02d}") for n in (0, 45, 77, 99) for d in (0, 5, 25, 33, 50, 75, 99)] + [Decimal(100)]
    for n, entry in enumerate(entries):
        if n % 3:
            db.session.add(CompetitionTheoryMark(registration_id=entry.id, mark=pick.choice(choices)))
        for judge in judges[:n % 7]:
            marked = items if pick.random() > 0.2 else items[:1]  # now and then a judge marked one item only
            db.session.add_all([CompetitionPracticalMark(registration_id=entry.id, judge_id=judge.id,
                                                         item_id=item.id, mark=pick.choice(choices))
                                for item in marked if item.id])
    db.session.commit()
    db.session.expire_all()
    page = standings.entry_sheet(competition, entries).lines
    marks = standings._marks_of([e.id for e in entries])
    one_by_one = [standings.score_line(entry, marks[entry.id], competition) for entry in entries]

    def seen(line):
        return ({j: str(s) for j, s in line.judge_scores.items()}, line.incomplete_judges, str(line.practical),
                str(line.total), str(line.spread), [str(p) for p in line.problems], line.flagged)

    assert [seen(line) for line in page] == [seen(line) for line in one_by_one]
    assert any(line.incomplete_judges for line in page) and any(line.total is not None for line in page)


def test_a_sheet_page_read_by_numbers_has_every_entry_of_its_range():
    """standings.sheet reads the judges' sums by the page's range of competitor numbers, at most as
    many entries as the range has numbers: a withdrawn entry inside the range leaves no entry without its
    sums (the same lines as entry_sheet by ids)."""
    from models.competitions import CompetitionPracticalMark
    from services.competitions import standings

    competition, entries, judges = competition_in_scoring(competitors=5, judges=3)
    entries[2].status = "withdrawn"
    db.session.add_all([CompetitionPracticalMark(registration_id=entry.id, judge_id=judge.id, item_id=item.id,
                                                 mark=Decimal(60 + n)) for n, entry in enumerate(entries)
                        for judge in judges for item in competition.items])
    db.session.commit()
    page = [e for e in entries if e.status == "confirmed"]
    by_numbers = standings.sheet(competition, page).lines
    assert [line.judge_scores for line in by_numbers] == [line.judge_scores for line in
                                                          standings.entry_sheet(competition, page).lines]
    assert all(len(line.judge_scores) == 3 for line in by_numbers)
