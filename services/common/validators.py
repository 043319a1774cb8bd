"""Validation of identifiers used across the platform.

- Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
  alphabet (digits and capital letters without I, O, Z, S, V); the last one is a check character
  computed from the first 17 with weights 3^i mod 31.
- Mainland mobile numbers: 11 digits starting 13-19; "+86", spaces and dashes are tolerated on input.
- Identifiers (phone, employee number 工号, credit code, skill-certificate number) are typed with a
  Chinese input method or read from paper: one normaliser, `normalize_identifier`, makes them what is
  stored and compared: NFKC (full-width letters and digits become ASCII), trimmed, no inner white
  space (none of them has any), upper case where case does not matter (all but the phone's digits);
  so "ｅ００１２ ", "e 0012" and "E0012" are one employee number. Forms apply it as a WTForms filter
  and services again (imports, the JSON API), so stored values are canonical.
- Money and marks are read by one parser, `read_decimal` (raising) / `decimal_problem` (for forms):
  NFKC (full-width digits), at most the allowed decimal places (more are refused with a message,
  never rounded), thousands separators only where allowed (money) and only in groups of three.
- Resident ID-card numbers (居民身份证号码, GB 11643-1999): 17 digits and a check character (0-9 or
  X) computed with the weights 2^(17-i) mod 11; digits 7-14 are the birth date (YYYYMMDD). Stored
  normalised (NFKC, no spaces, x as X) and shown masked, first 6 and last 4 (`mask_id_card`), to
  everyone but the HR of the person's current employer (the rule is the caller's).
- Dates of things that already happened are not in the future.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from core import clock
from core.l10n import lazy_gettext as _l
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


def normalize_identifier(raw: str | None, *, case_insensitive: bool = True, drop: str = "") -> str:
    """The one normaliser of typed or imported identifiers: NFKC, every white space removed (inner
    ones too: no identifier here has any), the characters of `drop` removed (e.g. a phone's dashes),
    upper-cased when `case_insensitive`. "" for none."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))
    for char in drop:
        text = text.replace(char, "")
    return text.upper() if case_insensitive else text


def normalize_employee_no(raw: str | None) -> str:
    """An employee number as stored and compared: NFKC, no spaces, upper case ("" for none)."""
    return normalize_identifier(raw)


def normalize_credit_code(raw: str | None) -> str:
    """A unified social credit code as stored and compared: NFKC, no spaces, upper case."""
    return normalize_identifier(raw)


def is_valid_credit_code(code: str) -> bool:
    """True when `code` (already normalised) is 18 characters of the right shape and check char."""
    if not _CREDIT_CODE_SHAPE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def normalize_phone(raw: str | None) -> str:
    """A phone number as stored and compared: NFKC (full-width digits), no spaces or dashes, no +86."""
    phone = normalize_identifier(raw, case_insensitive=False, drop="-")
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
    """A skill-certificate number as stored and compared: NFKC, no spaces, upper case."""
    return normalize_identifier(raw)


def identifier_filter(kind: str):
    """A WTForms filter normalising a typed identifier of `kind` (phone, employee_no, credit_code,
    certificate_no) as the service will: the form shows and sends the canonical value."""
    normaliser = IDENTIFIER_NORMALISERS[kind]

    def apply(value):
        return normaliser(value) if isinstance(value, str) else value

    return apply


def normalize_login(raw: str | None) -> str:
    """What is typed at login (a username or a phone number): NFKC, no spaces; case kept (the
    username is compared in any case, the phone normalised by normalize_phone)."""
    return normalize_identifier(raw, case_insensitive=False)


_ID_CARD_SHAPE = re.compile(r"^\d{17}[\dX]$")
_ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CARD_CHECK = "10X98765432"


def normalize_id_card(raw: str | None) -> str:
    """An ID-card number as stored and compared: NFKC, no spaces, a final x as X."""
    return normalize_identifier(raw)


def id_card_check_char(first17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits of an ID-card number."""
    total = sum(int(char) * weight for char, weight in zip(first17, _ID_CARD_WEIGHTS, strict=True))
    return _ID_CARD_CHECK[total % 11]


def id_card_birth_date(number: str) -> date | None:
    """The birth date an 18-character ID-card number carries (characters 7-14), None if not a date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_card_problem(number: str, *, birth_date: date | None = None):
    """Why a normalised ID-card number is wrong, in Chinese (lazy), or None when it is right: its
    shape (18 characters, digits and a final X), its check character, a real birth date not in the
    future, and, when `birth_date` is given, the same birth date."""
    if not _ID_CARD_SHAPE.match(number):
        return _l("身份证号码应为18位：17位数字加1位数字或X。")
    if id_card_check_char(number[:17]) != number[17]:
        return _l("身份证号码的校验位不对，请核对是否抄错。")
    born = id_card_birth_date(number)
    if born is None or born > clock.today() or born.year < 1900:
        return _l("身份证号码中的出生日期不是有效日期。")
    if birth_date is not None and born != birth_date:
        return _l("身份证号码中的出生日期（{day}）与填写的出生日期不一致。").format(day=born.isoformat())
    return None


def mask_id_card(number: str | None) -> str:
    """An ID-card number as most readers see it: the first 6 and last 4 characters, the rest as *."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


IDENTIFIER_NORMALISERS = {"id_card": normalize_id_card, "login": normalize_login,
                          "phone": normalize_phone, "employee_no": normalize_employee_no,
                          "credit_code": normalize_credit_code, "certificate_no": normalize_certificate_no}


def is_valid_skill_certificate_no(number: str) -> bool:
    """A skill certificate number: 22 characters, Y (employer) or S (social body) then 21 digits."""
    return bool(_SKILL_CERTIFICATE.match(number))


def refuse_future_date(day: date, field: str) -> None:
    """Something that already happened (a check-in, an assessment, a certificate): RuleViolation on
    `field` when `day` is after today (Asia/Shanghai)."""
    if day > clock.today():
        raise RuleViolation(_l("日期不能晚于今天。"), field=field)


# --- money and marks ---------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def decimal_problem(raw, *, places: int, thousands: bool = False) -> tuple[Decimal | None, str | None]:
    """Read a typed number (money, a mark, hours): (the Decimal or None when blank, None) or (None, the
    message why it is refused). Full-width digits and signs are normalised (NFKC); `thousands` allows
    "8,000.5" (commas only in groups of three: "80,00" is refused); more than `places` decimal places
    are refused ("8000.125" for money), never rounded; trailing zeros do not count ("60.50" is 2)."""
    if raw is None:
        return None, None
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        value, problem = _typed_decimal(repr(raw) if isinstance(raw, float) else str(raw), thousands)
        if problem or value is None:
            return None, problem
    if not value.is_finite():
        return None, str(_l("请填写数字。"))
    step = Decimal(1).scaleb(-places)
    try:
        exact = value == value.quantize(step)
    except InvalidOperation:
        return None, str(_l("这个数太大了。"))
    if not exact:
        if places == 0:
            return None, str(_l("请填写整数。"))
        return None, str(_l("最多 %(n)d 位小数，请不要多填（不会替您四舍五入）。", n=places))
    return value.quantize(step), None


def _typed_decimal(raw: str, thousands: bool) -> tuple[Decimal | None, str | None]:
    """Typed text as a Decimal (None when blank), or the message why it is not a number here."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if text == "":
        return None, None
    if "," in text:
        if not thousands:
            return None, str(_l("这里不用千位分隔符，请只填数字。"))
        if not _GROUPED_NUMBER.match(text):
            return None, str(_l("千位分隔符应每三位一个，例如 8,000.50。"))
        text = text.replace(",", "")
    elif not _PLAIN_NUMBER.match(text):
        return None, str(_l("请填写数字。"))
    return Decimal(text), None


def read_decimal(raw, *, places: int, field: str, thousands: bool = False) -> Decimal | None:
    """`decimal_problem` for services: the Decimal (None when blank), or RuleViolation on `field` with
    the reason (not a number, too many decimal places, misplaced thousands separators)."""
    value, problem = decimal_problem(raw, places=places, thousands=thousands)
    if problem:
        raise RuleViolation(problem, field=field)
    return value
