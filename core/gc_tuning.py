"""Python's garbage collector in a serving process (gunicorn's workers, `flask run`).

Why: an app process holds about a million long-lived objects once loaded (SQLAlchemy's mappers, the
compiled templates, the catalogs, the routes), and a page allocates tens of thousands of short-lived
container objects (ORM rows, template contexts). With CPython's defaults a full collection walked the
whole loaded app every ~150-200 requests, a pause of tens of milliseconds that lands on one request (the
bench's p99), and the young generation was collected every 700 allocations, up to a hundred times per
page. Measured in process on the bench database (docs/performance.md): 2.0-2.4 ms of collection per
request before, 0.1-0.4 ms after.

Rule: `tune_for_serving()` runs once the app is built: it collects what loading left behind, freezes the
rest (gc.freeze: the loaded app moves to a permanent generation that collections skip; it is never
garbage while the process serves) and collects the young generation every YOUNG_THRESHOLD allocations
(the older generations keep CPython's defaults). Reference counting frees almost everything a request
makes; the collector only looks for cycles, so collecting less often delays their freeing, nothing else.
Not for tests or CLI commands that build many apps: those keep the defaults.

Inputs: none. Raises nothing.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)


def tune_for_serving() -> None:
    """Collect, freeze what is loaded, and collect the young generation less often (the rule above)."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
