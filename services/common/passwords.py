"""Password policy and hashing.

Rules: at least the configured PASSWORD_MIN_LENGTH (default 8) characters; not one of the common
passwords in services/common/data/common_passwords.txt; not a run of one repeated character or an ascending or
descending sequence (12345678, abcdefgh, qwertyui); not the user's own username or phone number.
Hashes are Werkzeug's scrypt.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from core.l10n import lazy_gettext as _l
from services.errors import RuleViolation

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _is_sequence(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) == 1:
        return True
    return any(lowered in row or lowered in row[::-1] for row in _KEYBOARD_ROWS)


def check_policy(password: str, *, min_length: int | None = None, personal: tuple = ()) -> None:
    """Raise RuleViolation on the field 'new_password' when `password` breaks the policy.

    `min_length` defaults to the PASSWORD_MIN_LENGTH setting; `personal` holds the user's username and
    phone, which the password may not contain.
    """
    if min_length is None:
        min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        raise RuleViolation(
            _l("密码至少需要 %(n)d 个字符。", n=min_length), field="new_password"
        )
    lowered = password.lower()
    if lowered in common_passwords() or _is_sequence(password):
        raise RuleViolation(_l("这个密码太常见，容易被猜到，请换一个。"), field="new_password")
    for value in personal:
        if value and value.lower() in lowered:
            raise RuleViolation(
                _l("密码不能包含您的用户名或手机号。"), field="new_password"
            )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash() -> str:
    return hash_password("jiangxin-dummy-password")


def burn_time(password: str) -> None:
    """Spend the time of one hash check, so unknown accounts answer as slowly as known ones."""
    check_password_hash(_dummy_hash(), password)
