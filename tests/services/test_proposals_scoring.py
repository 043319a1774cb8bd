"""Arithmetic of proposal judging: trimmed mean of judges' totals and the rubric's weighted total.

Property-based (hypothesis) and worked examples; the proposal services use services.common.scoring.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.proposals import DEFAULT_RUBRIC, RubricCriterion
from services.common import scoring
from services.proposals.judging import judge_total

TOTALS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
MARKS = st.integers(min_value=0, max_value=10)


@st.composite
def weights_summing_to_100(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=99), min_size=n - 1, max_size=n - 1,
                                unique=True)))
    bounds = [0, *cuts, 100]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@given(st.lists(TOTALS, min_size=1, max_size=15))
def test_trimmed_mean_is_within_the_marks(totals):
    result = scoring.trimmed_mean(totals)
    assert min(totals) <= result <= max(totals)
    assert result == result.quantize(Decimal("0.01"))


@given(st.lists(TOTALS, min_size=1, max_size=15), st.randoms())
def test_trimmed_mean_ignores_order(totals, rnd):
    shuffled = list(totals)
    rnd.shuffle(shuffled)
    assert scoring.trimmed_mean(shuffled) == scoring.trimmed_mean(totals)


@given(st.lists(TOTALS, min_size=1, max_size=4))
def test_fewer_than_five_judges_is_the_plain_mean(totals):
    assert scoring.trimmed_mean(totals) == scoring.round2(sum(totals) / len(totals))


@given(st.lists(TOTALS, min_size=5, max_size=15))
def test_five_or_more_drop_one_highest_and_one_lowest(totals):
    rest = sorted(totals)[1:-1]
    assert scoring.trimmed_mean(totals) == scoring.round2(sum(rest) / len(rest))
    outlier = scoring.trimmed_mean([*totals[:-1], Decimal(100)])
    assert outlier == scoring.trimmed_mean([*totals[:-1], max(totals[:-1])])  # one extreme high is dropped


@given(weights_summing_to_100(), st.data())
def test_weighted_total_bounds(weights, data):
    marks = data.draw(st.lists(MARKS, min_size=len(weights), max_size=len(weights)))
    total = scoring.weighted_total(zip(marks, weights, strict=True), 10)
    assert Decimal(0) <= total <= Decimal(100)
    assert scoring.weighted_total(((10, w) for w in weights), 10) == Decimal(100)
    assert scoring.weighted_total(((0, w) for w in weights), 10) == Decimal(0)
    assert min(marks) * 10 <= total <= max(marks) * 10


@given(weights_summing_to_100(), st.data(), st.randoms())
def test_weighted_total_ignores_criterion_order(weights, data, rnd):
    marks = data.draw(st.lists(MARKS, min_size=len(weights), max_size=len(weights)))
    pairs = list(zip(marks, weights, strict=True))
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert scoring.weighted_total(shuffled, 10) == scoring.weighted_total(pairs, 10)


@given(st.lists(MARKS, min_size=4, max_size=4))
def test_uniform_marks_give_ten_times_the_mark(marks):
    mark = marks[0]
    assert scoring.weighted_total(((mark, w) for _n, w in DEFAULT_RUBRIC), 10) == Decimal(mark * 10)


@pytest.mark.parametrize("totals, expected", [
    (["80", "70", "60"], "70.00"),
    (["85.5", "90"], "87.75"),
    (["100", "80", "70", "60", "10"], "70.00"),
    (["66.66", "66.67", "66.67"], "66.67"),
    (["90", "90", "90", "90", "0", "0"], "67.50"),
    (["33.33", "33.33", "33.34"], "33.33"),
])
def test_trimmed_mean_worked_examples(totals, expected):
    assert scoring.trimmed_mean([Decimal(t) for t in totals]) == Decimal(expected)


@pytest.mark.parametrize("marks, expected", [
    ((10, 10, 10, 10), "100.00"),
    ((8, 7, 6, 5), "65.50"),   # 20 + 17.5 + 18 + 10
    ((9, 7, 6, 5), "68.00"),
    ((0, 0, 0, 1), "2.00"),
    ((3, 3, 9, 0), "42.00"),   # 7.5 + 7.5 + 27 + 0
])
def test_judge_total_worked_examples(marks, expected):
    criteria = [RubricCriterion(id=i + 1, name=str(n), weight=w) for i, (n, w) in enumerate(DEFAULT_RUBRIC)]
    assert judge_total(criteria, {i + 1: m for i, m in enumerate(marks)}) == Decimal(expected)


def test_judge_total_waits_for_every_criterion():
    criteria = [RubricCriterion(id=i + 1, name=str(n), weight=w) for i, (n, w) in enumerate(DEFAULT_RUBRIC)]
    assert judge_total(criteria, {1: 5, 2: 5, 3: 5}) is None


def test_floats_are_refused():
    with pytest.raises(TypeError):
        scoring.trimmed_mean([70.5, 80.0])
