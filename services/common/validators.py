"""Validation of identifiers used across the platform.

- Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
  alphabet (digits and capital letters without I, O, Z, S, V); the last one is a check character
  computed from the first 17 with weights 3^i mod 31.
- Mainland mobile numbers: 11 digits starting 13-19; "+86", spaces and dashes are tolerated on input.
- Employee numbers (工号) are stored and compared normalised: NFKC (full-width letters and digits
  become ASCII), trimmed, upper case; so "ｅ００１２ " and "E0012" are one number.
- Dates of things that already happened are not in the future.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l

from core import clock
from services.errors import RuleViolation

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_text(raw: str | None) -> str:
    """NFKC (full-width forms become their ASCII equivalents), trimmed, runs of white space as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "")).strip()


def normalize_employee_no(raw: str | None) -> str:
    """An employee number as stored and compared: NFKC, trimmed, upper case ("" for none)."""
    return normalize_text(raw).upper()


def normalize_credit_code(raw: str | None) -> str:
    return normalize_text(raw).upper().replace(" ", "")


def is_valid_credit_code(code: str) -> bool:
    """True when `code` (already normalised) is 18 characters of the right shape and check char."""
    if not _CREDIT_CODE_SHAPE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def normalize_phone(raw: str | None) -> str:
    phone = re.sub(r"[\s\-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def is_valid_mobile(phone: str) -> bool:
    """True for a normalised mainland mobile number (11 digits, 13x-19x)."""
    return bool(_MOBILE.match(phone))


_SKILL_CERTIFICATE = re.compile(r"^[YS]\d{21}$")


def normalize_certificate_no(raw: str | None) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def is_valid_skill_certificate_no(number: str) -> bool:
    """A skill certificate number: 22 characters, Y (employer) or S (social body) then 21 digits."""
    return bool(_SKILL_CERTIFICATE.match(number))


def refuse_future_date(day: date, field: str) -> None:
    """Something that already happened (a check-in, an assessment, a certificate): RuleViolation on
    `field` when `day` is after today (Asia/Shanghai)."""
    if day > clock.today():
        raise RuleViolation(_l("日期不能晚于今天。"), field=field)
