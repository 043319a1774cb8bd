"""bench/run.py's reference for a page's ratio: the hello measurements just before and after it."""

from bench.pages import Page
from bench.run import Row, at_target, best_pass, hello_around, table


def test_a_page_is_compared_with_the_faster_of_the_hellos_around_it():
    hellos = [(0, 4000.0), (1, 6000.0), (2, 5000.0), (3, 1300.0), (4, 5200.0)]
    assert hello_around(hellos, 0) == 6000.0
    assert hello_around(hellos, 1) == 6000.0
    assert hello_around(hellos, 2) == 5000.0  # a dip in hello after the page does not flatter it
    assert hello_around(hellos, 3) == 5200.0


def test_with_a_hello_every_fifth_page_the_bracketing_ones_count_not_the_nearest():
    hellos = [(0, 4000.0), (5, 6000.0), (7, 3000.0)]
    assert hello_around(hellos, 4) == 6000.0
    assert hello_around(hellos, 5) == 6000.0
    assert hello_around(hellos, 7) == 3000.0  # the last page: the measurement before it only


def test_each_page_keeps_its_best_pass_and_the_table_shows_every_pass():
    page = Page("admin", "a page", "/")
    first = Row(page, rps=150.0, p50=12.0, p99=30.0, queries=3)
    second = Row(page, rps=200.0, p50=10.0, p99=20.0, queries=3)
    hellos = [(0, 5000.0), (1, 4000.0), (5, 5000.0), (6, 4000.0)]
    best = best_pass([(first, 0), (second, 5)], hellos)
    assert best is second and best.hello == 5000.0 and best.ratio == 0.04
    assert best.ratios == (0.03, 0.04) and best.p99s == (30.0, 20.0)
    line = table([best]).splitlines()[-1]
    assert line == "| a page `/` | 200.0 | 10.0 ms | 20.0 ms | 0.04 | 0.03, 30.0 ms / 0.04, 20.0 ms | 3 |"


def test_a_faster_pass_against_a_faster_hello_can_lose_to_a_slower_one():
    page = Page("admin", "a page", "/")
    first, second = Row(page, rps=200.0), Row(page, rps=240.0)
    best = best_pass([(first, 0), (second, 1)], [(0, 4000.0), (1, 4000.0), (2, 8000.0)])
    assert best is first  # 200/4000 = 0.05 against 240/8000 = 0.03


def _measured(rps_and_p99s: list[tuple[float, float]]) -> Row:
    """A page measured once per (req/s, p99) pass, each against a hello of 5,000 req/s."""
    page = Page("admin", "a page", "/")
    passes = [(Row(page, rps=rps, p99=p99), position) for position, (rps, p99) in enumerate(rps_and_p99s)]
    return best_pass(passes, [(position, 5000.0) for position in range(len(rps_and_p99s) + 1)])


def test_a_page_is_at_target_with_both_its_ratio_and_its_p99_in_its_kept_pass_and_in_every_pass():
    both = _measured([(210.0, 99.0), (200.0, 60.0)])  # 0.042 and 0.04: both passes meet it
    kept_only = _measured([(150.0, 120.0), (250.0, 40.0)])  # the first pass's 0.03 and 120 ms miss it
    slow_tail = _measured([(300.0, 100.0)])  # a p99 of exactly 100 ms is not under 100 ms
    too_few = _measured([(190.0, 30.0)])  # 0.038
    failed = _measured([(400.0, 20.0)])
    failed.error = "3 of 2000 answers bad or timed out"
    assert at_target([both, kept_only, slow_tail, too_few, failed]) == (2, 1)
