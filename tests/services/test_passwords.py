"""Password policy: length, common passwords, sequences, personal data; scrypt hashes."""

import pytest

from services.common import passwords
from services.errors import RuleViolation


@pytest.mark.parametrize("password, message", [
    ("Ab1!xyz", "至少需要 8 个字符"),
    ("password", "太常见"),
    ("Password1", "太常见"),
    ("woaini1314", "太常见"),
    ("12345678", "太常见"),
    ("87654321", "太常见"),
    ("aaaaaaaa", "太常见"),
    ("qwertyuiop", "太常见"),
    ("abcdefghij", "太常见"),
])
def test_weak_passwords_are_refused_with_a_reason(password, message):
    with pytest.raises(RuleViolation) as refused:
        passwords.check_policy(password)
    assert message in str(refused.value.message)
    assert refused.value.field == "new_password"


def test_password_may_not_contain_username_or_phone():
    with pytest.raises(RuleViolation, match="用户名或手机号"):
        passwords.check_policy("zhangsan-2026!", personal=("zhangsan", None))
    with pytest.raises(RuleViolation, match="用户名或手机号"):
        passwords.check_policy("x13912345678", personal=(None, "13912345678"))


def test_a_sound_password_passes():
    passwords.check_policy("Jiangxin@2026", personal=("hr_a", "13800000011"))


def test_hashes_are_scrypt_and_verify():
    hashed = passwords.hash_password("Sturdy-Pass-2026")
    assert hashed.startswith("scrypt:")
    assert passwords.verify(hashed, "Sturdy-Pass-2026")
    assert not passwords.verify(hashed, "sturdy-pass-2026")
