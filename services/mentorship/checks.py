"""A refusal shared by several mentoring use cases, written once: an over-long note."""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from services.errors import RuleViolation

NOTE_MAX_LENGTH = 500


def clean_note(note: str | None) -> str:
    """An optional note (说明) stripped of outer white space; RuleViolation on field "note" when it
    is longer than 500 characters (the column's size)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise RuleViolation(_l("说明不能超过 500 字。"), field="note")
    return note

