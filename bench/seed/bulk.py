"""Bulk writing for the seed: COPY on PostgreSQL, executemany elsewhere, in batches.

Ids are allocated here (`Writer.ids`) so that children can name their parents without a RETURNING
round trip; `Writer.finish` moves PostgreSQL's sequences past them. Every row is a dict of column
keys; missing columns take the column's default (computed once per batch) or NULL, and a missing
required column is a programming error raised at once.

Foreign keys: SQLite checks each row (PRAGMA foreign_keys=ON). On PostgreSQL, when the role may, the
per-row checks are switched off for the load's transaction (session_replication_role = replica, the
usual bulk-load setting) and every foreign key of every table written is checked once at the end
with one anti-join per key (`Writer.finish`), which costs seconds instead of minutes; a dangling
reference raises and the whole load rolls back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC
from operator import itemgetter

from sqlalchemy import JSON, Table, func, select, text

from models.types import UTCDateTime

BATCH = 5000


class Writer:
    """Writes rows into tables through one SQLAlchemy session (one transaction)."""

    def __init__(self, session):
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.counts: Counter[str] = Counter()
        self._next: dict[str, int] = {}
        self.checks_deferred = False
        if self.dialect == "postgresql" and session.execute(text("SHOW is_superuser")).scalar() == "on":
            session.execute(text("SET LOCAL session_replication_role = replica"))
            self.checks_deferred = True

    # --- ids ------------------------------------------------------------------------------------

    def ids(self, table: Table, count: int) -> range:
        """`count` fresh ids of `table`, after the largest id present or given out before."""
        if table.name not in self._next:
            largest = self.session.execute(select(func.max(table.c.id))).scalar() or 0
            self._next[table.name] = largest + 1
        start = self._next[table.name]
        self._next[table.name] = start + count
        return range(start, start + count)

    def next_id(self, table: Table) -> int:
        """One fresh id of `table`."""
        return self.ids(table, 1)[0]

    # --- rows -----------------------------------------------------------------------------------

    def insert(self, table: Table, rows: Iterable[dict]) -> int:
        """Write `rows` into `table` in batches of BATCH; returns how many were written."""
        batch: list[dict] = []
        written = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                written += self._write(table, batch)
                batch = []
        if batch:
            written += self._write(table, batch)
        return written

    def _filled(self, table: Table, batch: list[dict]) -> tuple[list[str], list[tuple]]:
        # The database fills generated columns, and those with a server default that the rows leave out.
        columns = [column for column in table.columns if column.computed is None
                   and (column.server_default is None or column.key in batch[0])]
        keys = [column.key for column in columns]
        defaults = {}
        for column in columns:
            if column.key in batch[0]:
                continue
            default = column.default
            if default is not None and default.is_scalar:
                defaults[column.key] = default.arg
            elif default is not None and default.is_callable:
                defaults[column.key] = default.arg(None)
            elif column.nullable or (column.primary_key and column.autoincrement in (True, "auto")
                                     and len(table.primary_key.columns) == 1):
                defaults[column.key] = None
            else:
                raise ValueError(f"{table.name}.{column.key} is required and missing from the rows")
        if defaults.get("id", 0) is None:  # let the database number the rows
            keys.remove("id")
            del defaults["id"]
        present = [k for k in keys if k not in defaults]
        pick = itemgetter(*present) if len(present) > 1 else (lambda row: (row[present[0]],))
        if not defaults:
            return keys, [pick(row) for row in batch]
        extra = tuple(defaults.values())
        keys = present + list(defaults)
        return keys, [pick(row) + extra for row in batch]

    def _write(self, table: Table, batch: list[dict]) -> int:
        keys, values = self._filled(table, batch)
        if self.dialect == "postgresql":
            self._copy(table, keys, values)
        else:
            self._executemany(table, keys, values)
        self.counts[table.name] += len(values)
        return len(values)

    def _copy(self, table: Table, keys: list[str], values: list[tuple]) -> None:
        preparer = self.session.get_bind().dialect.identifier_preparer
        converters = [_converter(table.c[key]) for key in keys]
        convert = [i for i, c in enumerate(converters) if c is not None]
        columns = ", ".join(preparer.quote(table.c[key].name) for key in keys)
        raw = self.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN") as copy:
            for row in values:
                if convert:
                    row = list(row)
                    for i in convert:
                        if row[i] is not None:
                            row[i] = converters[i](row[i])
                copy.write_row(row)

    def _executemany(self, table: Table, keys: list[str], values: list[tuple]) -> None:
        """One executemany on the driver's cursor, values converted by each column type's own bind
        processor (what SQLAlchemy would send, without its per-row parameter building)."""
        dialect = self.session.get_bind().dialect
        columns = [table.c[key] for key in keys]
        processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        convert = [(i, p) for i, p in enumerate(processors) if p is not None]
        if convert:
            rows = []
            for row in values:
                row = list(row)
                for i, processor in convert:
                    row[i] = processor(row[i])
                rows.append(row)
        else:
            rows = values
        preparer = dialect.identifier_preparer
        sql = (f"INSERT INTO {preparer.format_table(table)} ({', '.join(preparer.quote(c.name) for c in columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        raw = self.session.connection().connection.dbapi_connection
        cursor = raw.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    def finish(self) -> None:
        """PostgreSQL: check the foreign keys skipped during the load, then move each sequence past the
        ids written so that the app numbers new rows after them."""
        if self.dialect != "postgresql":
            return
        if self.checks_deferred:
            self.session.execute(text("SET LOCAL session_replication_role = origin"))
            self.check_foreign_keys()
        preparer = self.session.get_bind().dialect.identifier_preparer
        for name in sorted(self.counts):
            table = _table(name)
            if "id" not in table.c or not table.c.id.primary_key:
                continue
            quoted = preparer.format_table(table)
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence(:name, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {quoted}))"
            ), {"name": quoted})

    def check_foreign_keys(self) -> None:
        """Every reference of every table written points at an existing row (one anti-join per key)."""
        preparer = self.session.get_bind().dialect.identifier_preparer
        for name in sorted(self.counts):
            child = _table(name)
            for key in child.foreign_keys:
                parent = key.column.table
                column, target = preparer.quote(key.parent.name), preparer.quote(key.column.name)
                dangling = self.session.execute(text(
                    f"SELECT count(*) FROM {preparer.format_table(child)} c WHERE c.{column} IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {preparer.format_table(parent)} p WHERE p.{target} = c.{column})"
                )).scalar()
                if dangling:
                    raise ValueError(f"{dangling} rows of {name}.{key.parent.name} point at no {parent.name}")


def _table(name: str) -> Table:
    from models import db

    return db.metadata.tables[name]


def _naive_utc(value):
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None)


def _converter(column):
    """What COPY needs instead of SQLAlchemy's bind processing: naive UTC times and JSON text."""
    if isinstance(column.type, UTCDateTime):
        return _naive_utc
    if isinstance(column.type, JSON):
        return lambda value: json.dumps(value, ensure_ascii=False)
    return None
