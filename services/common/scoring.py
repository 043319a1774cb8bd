"""Score arithmetic shared by proposals and competitions, all in Decimal.

- `trimmed_mean`: with 5 or more marks drop one highest and one lowest (去掉一个最高分和一个最低分),
  then average; with fewer, the plain mean. Rounded half-up to two decimals.
- `weighted_total`: sum(weight x mark / scale) for criteria whose weights sum to 100, e.g. the proposal
  rubric (marks 0-10, so scale 10) or theory/practical weights (marks 0-100, scale 100).
- `spread`: highest minus lowest mark, for flagging large disagreement between judges
  (`trimmed_mean_and_spread`: both at once).
- `competition_ranks`: shared ("1224") ranks for an already sorted list of keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
TRIM_FROM = 5


def to_decimal(value) -> Decimal:
    if type(value) is Decimal or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("scores are Decimal, never float")
    return Decimal(value)


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def trimmed_mean(marks: Iterable) -> Decimal | None:
    """The aggregate of judges' marks; None when there are none."""
    return _trimmed_mean_of_sorted(sorted(map(to_decimal, marks)))


def _trimmed_mean_of_sorted(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    count = len(values)
    if count >= TRIM_FROM:
        values, count = values[1:-1], count - 2
    return (sum(values, Decimal(0)) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)  # round2, one call less


def trimmed_mean_and_spread(marks: Iterable) -> tuple[Decimal | None, Decimal | None]:
    """(trimmed_mean(marks), spread(marks)) with the marks converted and sorted once (a score sheet
    computes both for every line); (None, None) when there are none."""
    values = sorted([mark if type(mark) is Decimal else to_decimal(mark) for mark in marks])  # no call per Decimal
    return sorted_mean_and_spread(values)


def sorted_mean_and_spread(values: list[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    """trimmed_mean_and_spread of marks that are already Decimals in ascending order (a score sheet's
    judges' scores: no conversion, no second sort); (None, None) for none."""
    if not values:
        return None, None
    return _trimmed_mean_of_sorted(values), values[-1] - values[0]


def weighted_total(marks_and_weights: Iterable[tuple], scale: int | Decimal) -> Decimal:
    """sum(weight * mark / scale), rounded to two decimals (the terms added in order, as sum() adds them;
    a plain loop: a score sheet computes this for every judge of every line)."""
    if type(scale) is not Decimal:  # a Decimal, so that int weights x int marks divide exactly too
        scale = to_decimal(scale)
    total = Decimal(0)
    for mark, weight in marks_and_weights:  # a Decimal or an int (weights) taken as it is: the same product
        total += ((weight if type(weight) in _EXACT else to_decimal(weight))
                  * (mark if type(mark) in _EXACT else to_decimal(mark)) / scale)
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)  # round2, one call less


_EXACT = frozenset((Decimal, int))  # what weighted_total multiplies without converting


def spread(marks: Iterable) -> Decimal | None:
    values = list(map(to_decimal, marks))
    if not values:
        return None
    return max(values) - min(values)


def competition_ranks(sorted_keys: Sequence) -> list[int]:
    """Rank 1, 2, 2, 4 ... for keys already sorted best first; equal keys share a rank."""
    ranks: list[int] = []
    for position, key in enumerate(sorted_keys, start=1):
        if position > 1 and key == sorted_keys[position - 2]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
    return ranks
