"""Pagination of selects that return several columns per row (e.g. (Proposal, place) of a ranking).

Flask-SQLAlchemy's db.paginate returns scalars (the first column only); RowPagination returns whole
rows. Generic, it lives here until ranking pagination gets its shared home.
"""

from __future__ import annotations

from flask_sqlalchemy.pagination import SelectPagination

from models import db


class RowPagination(SelectPagination):
    """A db.paginate page whose `items` are rows (tuples of the select's columns), not scalars."""

    def _query_items(self):
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).unique().all())


def paginate_rows(stmt, page: int, per_page: int = 20) -> RowPagination:
    """Page `page` (from 1; a page past the end is empty, not 404) of `stmt`, `per_page` rows a page."""
    return RowPagination(select=stmt, session=db.session, page=page, per_page=per_page, error_out=False)
