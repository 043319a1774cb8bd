"""Typed input read right (issue 12, items 2 and 3): one normaliser for identifiers, one parser for
money and marks (refused, never rounded, beyond the allowed decimal places), one-time form tokens."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import db
from models.once import FormToken
from services.common import once
from services.common.validators import (
    decimal_problem,
    normalize_certificate_no,
    normalize_credit_code,
    normalize_employee_no,
    normalize_identifier,
    normalize_login,
    normalize_phone,
    read_decimal,
)
from services.errors import RuleViolation

FULL_WIDTH = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")


# --- identifiers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("normalise", "typed", "stored"), [
    (normalize_employee_no, "Ａ０００６", "A0006"),
    (normalize_employee_no, " a0008 ", "A0008"),
    (normalize_employee_no, "a 0008", "A0008"),
    (normalize_employee_no, "ｅ\u3000００１２", "E0012"),
    (normalize_phone, "１３８ ０００ ０００１１", "13800000011"),
    (normalize_phone, "+86 138-0000-0011", "13800000011"),
    (normalize_login, " Ｈｒ＿ａ ", "Hr_a"),
    (normalize_credit_code, "９１３５ ００００ １５８１ ４２７１ １ｆ", "91350000158142711F"),
    (normalize_certificate_no, "ｙ１２３４５６７８９０１２３４５６７８９０１", "Y123456789012345678901"),
])
def test_identifiers_typed_with_a_chinese_input_method_are_stored_one_way(normalise, typed, stored):
    assert normalise(typed) == stored


@settings(deadline=None)
@given(st.text(alphabet="ABCDEFabcdef0123456789 \u3000-", max_size=12))
def test_normalising_twice_changes_nothing(text):
    once_ = normalize_identifier(text)
    assert normalize_identifier(once_) == once_ and " " not in once_ and once_ == once_.upper()


# --- money and marks -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "places", "thousands", "value"), [
    ("8,000.13", 2, True, Decimal("8000.13")),
    ("８，０００．１３", 2, True, Decimal("8000.13")),
    ("1,234,567", 2, True, Decimal("1234567.00")),
    ("60.50", 2, False, Decimal("60.50")),
    ("60.500", 2, False, Decimal("60.50")),  # trailing zeros are not more places
    ("  ", 2, False, None),
    ("", 2, False, None),
    ("7", 0, False, Decimal("7")),
])
def test_numbers_read_right(typed, places, thousands, value):
    assert decimal_problem(typed, places=places, thousands=thousands) == (value, None)


@pytest.mark.parametrize(("typed", "places", "thousands", "why"), [
    ("8,000.125", 2, True, "最多 2 位小数"),  # today 8,000.13 without a word: refused
    ("8000.125", 2, True, "最多 2 位小数"),
    ("88.555", 2, False, "最多 2 位小数"),
    ("2.25", 1, False, "最多 1 位小数"),
    ("7.5", 0, False, "请填写整数"),
    ("80,00", 2, True, "千位分隔符应每三位一个"),
    ("8,0000", 2, True, "千位分隔符应每三位一个"),
    (",800", 2, True, "千位分隔符应每三位一个"),
    ("8,000", 2, False, "这里不用千位分隔符"),  # a mark has no thousands
    ("1e3", 2, True, "请填写数字"),
    ("NaN", 2, True, "请填写数字"),
    ("12元", 2, True, "请填写数字"),
    ("1" * 40, 2, True, "这个数太大了"),
])
def test_numbers_refused_with_the_reason(typed, places, thousands, why):
    value, problem = decimal_problem(typed, places=places, thousands=thousands)
    assert value is None and why in problem


def test_read_decimal_puts_the_reason_beside_the_field():
    with pytest.raises(RuleViolation) as error:
        read_decimal("8,000.125", places=2, field="estimated_savings", thousands=True)
    assert error.value.field == "estimated_savings" and "最多 2 位小数" in str(error.value.message)


money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(money, st.booleans(), st.booleans())
def test_any_amount_written_with_groups_or_full_width_reads_back_exactly(amount, grouped, full_width):
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert decimal_problem(text, places=2, thousands=True) == (amount, None)


@settings(deadline=None)
@given(money, st.integers(min_value=1, max_value=9))
def test_a_third_decimal_place_is_refused_never_rounded(amount, digit):
    text = f"{amount:.2f}{digit}"
    value, problem = decimal_problem(text, places=2, thousands=True)
    assert value is None and "最多 2 位小数" in problem


@settings(deadline=None)
@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=1, max_value=2))
def test_commas_out_of_place_are_refused(number, cut):
    digits = str(number)
    text = digits[:cut] + "," + digits[cut:]  # e.g. 10,000 written 1,0000 or 10,00
    if len(digits) - cut == 3:
        return  # that is a right grouping
    value, problem = decimal_problem(text, places=2, thousands=True)
    assert value is None and problem


@settings(deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6))
def test_decimals_given_as_numbers_pass_unchanged(value):
    assert decimal_problem(value, places=2) == (value, None)


# --- one-time form tokens ---------------------------------------------------------------------------


def test_a_form_token_is_used_once_and_names_what_it_created(world):
    token = once.new_token()
    row = once.claim(token, world.worker_a.id)
    once.settle(row, world.enterprise_a)
    db.session.commit()
    with pytest.raises(once.FormReplayed) as replay:
        once.claim(token, world.worker_a.id)
    assert (replay.value.kind, replay.value.object_id) == ("enterprise", world.enterprise_a.id)
    assert db.session.scalar(db.select(db.func.count(FormToken.token))) == 1


def test_forms_without_a_token_are_not_checked(world):
    assert once.claim(None, world.worker_a.id) is None
    assert once.claim("<script>", world.worker_a.id) is None  # not a token of ours


def test_old_tokens_are_forgotten(world):
    from datetime import timedelta

    from core import clock

    once.claim(once.new_token(), None)
    db.session.commit()
    assert "0 old" in once.forget_old_tokens(clock.now())
    assert "1 old" in once.forget_old_tokens(clock.now() + timedelta(days=once.KEEP_DAYS + 1))
