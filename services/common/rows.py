"""Plain rows: a list page's lines read as plain columns (no ORM entities, which cost several times
more to build and read) into small objects whose fields are named by the subclass's `__slots__`, in
the order of the select's columns; a page of such rows from a kept statement (KeptRowsPagination)."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam

from core.statements import shared_statement
from models import db


class PlainRow:
    """Base of a plain row: `Row(*values)` sets each field of `__slots__` in order (as many values as
    fields, else TypeError). Each subclass gets an __init__ made for its fields (one assignment of them
    all, not a setattr per field: a page builds fifty rows)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        names = cls.__dict__.get("__slots__", ())
        if isinstance(names, str):
            names = (names,)
        if not names or "__init__" in cls.__dict__:
            return
        if not all(name.isidentifier() for name in names):
            raise TypeError(f"{cls.__name__}: __slots__ must be identifiers")
        fields = ", ".join(names)
        code = f"def __init__(self, {fields}):\n    self.{', self.'.join(names)}, = {fields},\n"
        namespace: dict = {}
        exec(code, {}, namespace)  # noqa: S102 - names checked above: the fields of the class's own __slots__
        cls.__init__ = namespace["__init__"]


def translated(labels: dict) -> dict:
    """`labels` (code -> lazy label) with each label translated now, in the reader's language: a page that
    shows them per row reads a plain text instead of translating a lazy label (~20 calls) each time."""
    return {code: str(label) for code, label in labels.items()}


def label_texts():
    """A memo for one page's rows: `text(label_of, code)` is str(label_of(code)), the label's text in the
    reader's language (a lazy label translated once a page for each code, not once a cell). Local to the
    caller: nothing is kept between pages."""
    texts: dict = {}

    def text(label_of, code) -> str:
        key = (label_of, code)
        found = texts.get(key)
        if found is None:
            found = texts[key] = str(label_of(code))
        return found

    return text


LIMIT, OFFSET = bindparam("kept_rows_limit"), bindparam("kept_rows_offset")  # a kept page's bounds


class KeptRowsPagination(Pagination):
    """A page of plain rows from a kept statement (core.statements.shared_statement) with its total.

    `key` names the statement's shape; `build(counted)` makes it: with counted False, the rows with one
    more last column, COUNT(*) OVER () (the matching rows before the page), bounded by LIMIT and OFFSET
    above; with counted True, the number of matching rows alone, asked only for a page past the end (no
    rows; an empty first page has none to count). `params` are the other bind parameters' values. Runs on
    the session's connection after a flush (no ORM result processing)."""

    def _run(self, counted: bool):
        args = self._query_args
        stmt = shared_statement((*args["key"], counted), lambda: args["build"](counted))
        return db.session.flush() or db.session.connection().execute(stmt, {
            **args["params"], LIMIT.key: self.per_page, OFFSET.key: self._query_offset})

    def _query_items(self) -> list:
        rows = self._run(False).all()
        self._window_total = rows[0][-1] if rows else None
        make = self._query_args["make"]
        return rows if make is None else [make(*row[:-1]) for row in rows]

    def _query_count(self) -> int:
        if self._window_total is not None:
            return self._window_total
        if self._query_offset == 0:  # no row on the first page: none at all
            return 0
        return self._run(True).scalar()


def kept_rows_page(key: tuple, build, params: dict, page: int, per_page: int, make=None) -> KeptRowsPagination:
    """Page `page` (of `per_page`) of KeptRowsPagination's rows (see there)."""
    return KeptRowsPagination(page=page, per_page=per_page, max_per_page=None, error_out=False, key=key,
                              build=build, params=params, make=make)
