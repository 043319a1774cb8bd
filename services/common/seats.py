"""The race-safe seat counter shared by everything with seats (competitions, training programmes).

A row with `seats_taken` and `capacity` columns (a Competition, a TrainingProgramme) hands out its seats
with a guarded counter: `UPDATE ... SET seats_taken = seats_taken + 1 WHERE id = :id AND seats_taken <
capacity`, in the same transaction as the entry's insert, and the row count says whether a seat was
free. Check-then-insert over-books under concurrency, and SQLAlchemy drops SELECT ... FOR UPDATE on
SQLite; the guarded UPDATE holds on both databases (docs/domain.md, the competitions' seats).

- queue_on(row): take the row's write lock first (a no-op UPDATE), so that concurrent entries of one row
  queue up before they count or check anything else (a per-enterprise cap, an existing entry).
- take_seat(row, also=..., returning=...): the guarded increment; None when no seat was free.
- give_back_seat(row): a confirmed seat freed with nobody to move up: the counter goes down.
"""

from __future__ import annotations

from sqlalchemy import update

from models import db


def queue_on(row) -> None:
    """Take `row`'s write lock (PostgreSQL: the row lock; SQLite: the database write lock) with a no-op
    UPDATE, so that concurrent entries of the same row run one after the other from here on."""
    model = type(row)
    db.session.execute(update(model).where(model.id == row.id).values(seats_taken=model.seats_taken)
                       .execution_options(synchronize_session=False))


def take_seat(row, *, also: dict | None = None, returning=None):
    """Take one of `row`'s seats if one is free, in one guarded UPDATE that may also set the columns of
    `also` (name -> SQL expression, e.g. the next competitor number). Returns the `returning` column's new
    value (default: seats_taken) when a seat was taken, None when the row was full."""
    model = type(row)
    values = {"seats_taken": model.seats_taken + 1, **(also or {})}
    value = db.session.execute(
        update(model).where(model.id == row.id, model.seats_taken < model.capacity).values(**values)
        .returning(model.seats_taken if returning is None else returning)
        .execution_options(synchronize_session=False)
    ).scalar()
    db.session.expire(row, list(values))
    return value


def give_back_seat(row) -> None:
    """A confirmed seat of `row` became free and nobody takes it: the counter goes down by one."""
    model = type(row)
    db.session.execute(update(model).where(model.id == row.id, model.seats_taken > 0)
                       .values(seats_taken=model.seats_taken - 1).execution_options(synchronize_session=False))
    db.session.expire(row, ["seats_taken"])
