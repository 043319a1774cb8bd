"""Credit codes (GB 32100-2015 check character) and mainland mobile numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_mobile,
    is_valid_skill_certificate_no,
    normalize_credit_code,
    normalize_phone,
)


@pytest.mark.parametrize("code", ["91350000158142711F", "91110000100006485K"])
def test_codes_as_printed_on_business_licences_are_valid(code):
    assert is_valid_credit_code(code)


def test_check_character_worked_by_hand():
    # 9 1 3 5 0 0 0 0 1 5 8 1 4 2 7 1 1 with weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9+3+27+135+0+0+0+0+20+145+200+13+32+48+70+30+28 = 760; 760 mod 31 = 16; 31-16 = 15 -> 'F'
    assert credit_code_check_char("91350000158142711") == "F"


@pytest.mark.parametrize(
    "code, why",
    [
        ("91350000158142711G", "wrong check character"),
        ("91350000158142711", "17 characters"),
        ("91350000158142711FF", "19 characters"),
        ("9135000015814271IF", "I is not in the alphabet"),
        ("9135000015814271OF", "O is not in the alphabet"),
        ("91AB0000158142711F", "region code must be digits"),
        ("", "empty"),
    ],
)
def test_invalid_codes_are_refused(code, why):
    assert not is_valid_credit_code(code), why


def test_normalisation_uppercases_and_strips():
    assert normalize_credit_code(" 91350000158142711f ") == "91350000158142711F"


body = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@given(first=st.sampled_from("159Y"), second=st.sampled_from("123"), region=st.text("0123456789", min_size=6,
       max_size=6), rest=st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=9, max_size=9))
def test_computed_check_character_validates_and_any_other_fails(first, second, region, rest):
    first17 = first + second + region + rest
    check = credit_code_check_char(first17)
    assert is_valid_credit_code(first17 + check)
    for other in CREDIT_CODE_ALPHABET:
        if other != check:
            assert not is_valid_credit_code(first17 + other)


@pytest.mark.parametrize("raw, expected", [
    ("13912345678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("0086 13912345678", "13912345678"),
])
def test_phone_normalisation(raw, expected):
    assert normalize_phone(raw) == expected
    assert is_valid_mobile(normalize_phone(raw))


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "139123456789", "23912345678", "1391234567a", ""])
def test_invalid_mobiles(phone):
    assert not is_valid_mobile(normalize_phone(phone))


@pytest.mark.parametrize("number, valid", [
    ("Y" + "1" * 21, True),
    ("S" + "0" * 21, True),
    ("X" + "1" * 21, False),
    ("Y" + "1" * 20, False),
    ("Y" + "1" * 20 + "A", False),
])
def test_skill_certificate_numbers(number, valid):
    assert is_valid_skill_certificate_no(number) is valid


# --- resident ID-card numbers (GB 11643-1999) --------------------------------------------------

def test_id_card_check_character_worked_by_hand():
    from services.common.validators import id_card_check_char
    # 11010519491231002X: the standard's own example (check character X).
    assert id_card_check_char("11010519491231002") == "X"
    # 440524188001010014: weighted sum 195, 195 mod 11 = 8, "10X98765432"[8] = "4".
    assert id_card_check_char("44052418800101001") == "4"


def test_id_card_normalised_checked_and_masked():
    from datetime import date

    from services.common.validators import id_card_problem, mask_id_card, normalize_id_card
    number = normalize_id_card(" １１０１０５１９４９１２３１００２ｘ ")
    assert number == "11010519491231002X"
    assert id_card_problem(number) is None
    assert id_card_problem(number, birth_date=date(1949, 12, 31)) is None
    assert "出生日期" in str(id_card_problem(number, birth_date=date(1950, 1, 1)))
    assert "校验位" in str(id_card_problem("110105194912310021"))
    assert "18位" in str(id_card_problem("11010519491231002"))
    # month 13, with its right check character: the shape passes, the date does not
    assert "不是有效日期" in str(id_card_problem("110105194913310021"))
    assert mask_id_card(number) == "110105********002X"
    assert mask_id_card(None) == ""
