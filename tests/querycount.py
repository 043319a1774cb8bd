"""Count the SQL statements a block of code sends, to prove list pages do not do a query per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from models import db


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """Usage: `with count_queries() as q: client.get(url)`; then compare `q.count`."""
    counter = QueryCounter()
    engine = db.engine

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def page_counts(client, url: str) -> tuple[int, int]:
    """Statements of GET `url` the first time after a change (nothing memoised per data version:
    services.common.figures_cache) and the time after (memoised): a page that takes a figure from the
    memory must cost the same for few and many rows both ways."""
    from services.common import figures_cache

    figures_cache.clear()
    counts = []
    for _ in range(2):
        with count_queries() as counted:
            assert client.get(url).status_code == 200, url
        counts.append(counted.count)
    return counts[0], counts[1]
