"""Refusals shared by several mentoring use cases, each written once: a date in the future and an
over-long note."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from core import clock
from services.errors import RuleViolation

NOTE_MAX_LENGTH = 500


def refuse_future_date(day: date, field: str) -> None:
    """A check-in or an assessment happened already: RuleViolation on `field` when `day` is after today."""
    if day > clock.today():
        raise RuleViolation(_l("日期不能晚于今天。"), field=field)


def clean_note(note: str | None) -> str:
    """An optional note (说明) stripped of outer white space; RuleViolation on field "note" when it
    is longer than 500 characters (the column's size)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise RuleViolation(_l("说明不能超过 500 字。"), field="note")
    return note

