"""Score arithmetic shared by proposals and competitions: worked examples and properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.scoring import competition_ranks, spread, trimmed_mean, weighted_total

D = Decimal


@pytest.mark.parametrize("marks, expected", [
    ([80, 90, 85], D("85.00")),                      # 3 judges: plain mean
    ([70, 71], D("70.50")),
    ([60, 70, 80, 90], D("75.00")),                  # 4 judges: still the plain mean
    ([60, 70, 80, 90, 100], D("80.00")),             # 5 judges: drop 60 and 100
    ([50, 90, 90, 90, 90, 99], D("90.00")),          # 6 judges: drop one 50 and one 99
    ([D("88.5"), D("91.25"), D("79.75")], D("86.50")),
    ([D("1"), D("2"), D("2")], D("1.67")),           # half-up to two places
])
def test_trimmed_mean_worked_examples(marks, expected):
    assert trimmed_mean(marks) == expected


def test_trimmed_mean_of_nothing_is_none():
    assert trimmed_mean([]) is None


def test_floats_are_refused():
    with pytest.raises(TypeError):
        trimmed_mean([80.5, 90])


def test_default_rubric_weighted_total():
    # novelty 25, feasibility 25, economic benefit 30, transferability 20; marks out of 10
    assert weighted_total([(8, 25), (7, 25), (9, 30), (6, 20)], 10) == D("76.50")
    assert weighted_total([(10, 25), (10, 25), (10, 30), (10, 20)], 10) == D("100.00")


def test_theory_practical_total():
    assert weighted_total([(D("90"), 30), (D("85.5"), 70)], 100) == D("86.85")


def test_ranks_share_equal_scores():
    assert competition_ranks([95, 90, 90, 85, 80, 80, 80, 70]) == [1, 2, 2, 4, 5, 5, 5, 8]
    assert competition_ranks([]) == []


marks = st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=12)


@given(marks)
def test_trimmed_mean_lies_between_lowest_and_highest(values):
    result = trimmed_mean(values)
    assert min(values) - D("0.01") <= result <= max(values) + D("0.01")


@given(marks, st.randoms())
def test_trimmed_mean_ignores_order(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert trimmed_mean(shuffled) == trimmed_mean(values)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=4))
def test_fewer_than_five_is_the_plain_mean(values):
    assert trimmed_mean(values) == (sum(values) / len(values)).quantize(D("0.01"), rounding="ROUND_HALF_UP")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=5, max_size=12))
def test_five_or_more_ignore_one_extreme_each_side(values):
    ordered = sorted(values)
    pushed = ordered[:-1] + [D(100) + ordered[-1]]  # making the top mark more extreme changes nothing
    assert trimmed_mean(pushed) == trimmed_mean(values)


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=4, max_size=4))
def test_rubric_total_is_between_0_and_100(marks_out_of_10):
    total = weighted_total(zip(marks_out_of_10, [25, 25, 30, 20], strict=True), 10)
    assert D(0) <= total <= D(100)


def test_spread():
    assert spread([70, 95, 80]) == D(25)
    assert spread([]) is None
