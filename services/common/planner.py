"""Hints to the query planner that keep a page's cost from growing with its list (issue 16).

Rule: a list paged by keyset in id order (blueprints.common.keyset_page) costs a page's rows when the
database walks the id order and stops after a page; it costs every matching row when the database
first collects the rows through another index (e.g. a year's range of dates) and sorts them. PostgreSQL
weighs both from its statistics. SQLite guesses that a range condition keeps few rows and picks its
index, then sorts the whole year (at scale 0.1: 4,400 proposals joined and sorted, 43 ms, for 20 rows).

`likely(condition)` says the condition holds for most rows (SQLite's likely(): probability 0.9375),
so SQLite walks the page's order instead; every other database gets the condition unchanged. Use it
only where most rows do pass (the report's current years) and only for paged queries: a count or an
export over the same rows reads them all anyway and keeps the condition's index.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class _Likely(ColumnElement):
    """A boolean condition marked as true for most rows."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]

    def __init__(self, condition):
        self.condition = condition


@compiles(_Likely)
def _plain(element, compiler, **kw):
    return compiler.process(element.condition, **kw)


@compiles(_Likely, "sqlite")
def _sqlite(element, compiler, **kw):
    return f"likely({compiler.process(element.condition, **kw)})"


def likely(condition):
    """SQL: `condition`, marked for the planner as true for most rows (see the module's rule)."""
    return _Likely(condition)
