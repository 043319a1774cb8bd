"""bench/run.py's reference for a page's ratio: the hello measurements just before and after it."""

from bench.pages import Page
from bench.run import Row, hello_around, table


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


def test_the_table_shows_the_ratio_over_that_hello():
    row = Row(Page("admin", "a page", "/"), rps=200.0, p50=10.0, p99=20.0, queries=3)
    line = table([row], [(0, 4000.0), (1, 5000.0)]).splitlines()[-1]
    assert "| 0.04 |" in line
