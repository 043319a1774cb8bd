"""The one public check of every kind of certificate (competition, title, excellent pair, later kinds).

Each area registers, once per kind (`register_kind`), a condition that finds its certificates by what a
person typed (the forms of it from `candidates`) and a lookup that answers the `Verdict`. `verify(text)`
asks the database once which kind holds the text (one statement of EXISTS per kind, in the order the kinds
registered), then only that kind's lookup: two statements for a known certificate, one for an unknown text,
however many kinds there are.

What people type is normalised (`normalise`): Unicode NFKC (full-width letters from a Chinese input method
become ASCII), trimmed, case-insensitive, dashes and spaces ignored. It may be the verification code or the
certificate number printed on the paper (e.g. JX-2026-01-0001).

New codes (`new_code`) are 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), stored
compact in capitals and printed in groups of four (`grouped`: K7Q4-M9XP-3RTW), about 59 bits: unguessable
behind the page's rate limit. Codes issued before (random URL-safe text, case-sensitive) keep verifying:
their exact typed form is tried too.

A verdict shows only the holder's name, enterprise and what was awarded: no other personal data.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BindParameter, Select, bindparam, exists, select

from core.statements import shared_statement
from models import db

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
MAX_INPUT = 64
VALID, REVOKED, EXPIRED, NOTICE, NOT_FOUND = "valid", "revoked", "expired", "notice", "not_found"


@dataclass
class Verdict:
    """What the public page says about one certificate."""

    status: str  # VALID / REVOKED / EXPIRED / NOTICE
    kind: str  # what kind of certificate, e.g. 竞赛证书 (translated label)
    holder: str
    enterprise: str
    awarded: str  # what was awarded, e.g. 一等奖（第 1 名）, or the title's name
    number: str  # the certificate number or the grouped code, as printed
    issued_on: date | None = None
    revoked_on: date | None = None
    valid_until: date | None = None


Lookup = Callable[[set[str], str], "Verdict | None"]
Holds = Callable[[BindParameter, BindParameter], Select]
_kinds: dict[str, tuple[Holds, Lookup]] = {}

# The statements that find a certificate are kept (core.statements.shared_statement): what was typed
# reaches them as these two bind parameters, the forms (expanding: one or two) and the compact text.
FORMS = bindparam("verify_forms", expanding=True)
COMPACT = bindparam("verify_compact")


def typed(forms: set[str], compact: str) -> dict:
    """The bind parameters FORMS and COMPACT for what was typed (from `candidates` and `normalise`)."""
    return {FORMS.key: sorted(forms), COMPACT.key: compact}


def find_one(key: str, build: Callable[[], Select], forms: set[str], compact: str):
    """The one row (an ORM object) of the kept statement `key` (built by `build` from FORMS and COMPACT,
    once per process), or None."""
    return db.session.scalar(shared_statement(("verification", key), build), typed(forms, compact))


def register_kind(kind: str, lookup: Lookup, holds: Holds) -> None:
    """Register one kind of certificate: holds(FORMS, COMPACT) -> a select of the rows whose code or
    number matches (only its existence is asked; built once, with the two bind parameters),
    lookup(candidates, compact) -> its Verdict or None, where `candidates` are the exact forms to compare
    codes with and `compact` is the normalised text. Kinds register at import, before the first check."""
    _kinds[kind] = (holds, lookup)


def new_code() -> str:
    """A new verification code: CODE_LENGTH characters of ALPHABET, compact (print it with `grouped`)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """A code as printed: new codes in groups of four joined by "-"; codes of the old kind unchanged."""
    if len(code) == CODE_LENGTH and all(char in ALPHABET for char in code):
        return "-".join(code[index:index + 4] for index in range(0, CODE_LENGTH, 4))
    return code


def normalise(text: str) -> str:
    """NFKC, trimmed, capitals, without dashes (any kind), spaces or underscores: the form codes and
    certificate numbers are compared in."""
    text = unicodedata.normalize("NFKC", text or "").strip().upper()
    return "".join(char for char in text if not (char.isspace() or char in "-_‐‑‒–—―"))


def candidates(text: str) -> set[str]:
    """The forms a stored code may have: the compact normalised text, and the exact trimmed text (codes of
    the old kind are case-sensitive URL-safe text)."""
    exact = unicodedata.normalize("NFKC", text or "").strip()
    return {form for form in (exact, normalise(text)) if form}


def verify(text: str) -> Verdict | None:
    """The verdict on a typed code or certificate number, None when nothing matches (or the text is blank
    or longer than MAX_INPUT characters). Public: no login needed."""
    if not (text or "").strip() or len(text) > MAX_INPUT:
        return None
    forms, compact = candidates(text), normalise(text)
    if not _kinds:
        return None
    stmt = shared_statement(("verification", "kinds", *_kinds), lambda: select(
        *[exists(holds(FORMS, COMPACT)).label(kind) for kind, (holds, _lookup) in _kinds.items()]))
    found = db.session.execute(stmt, typed(forms, compact)).one()
    kind = next((kind for kind, held in zip(_kinds, found, strict=True) if held), None)
    return _kinds[kind][1](forms, compact) if kind is not None else None
