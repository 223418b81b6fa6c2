import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shiliu.lib.idnumbers import check_char, mask_id_number, validate_id_number


def test_it_computes_the_check_character_of_the_standards_example():
    # GB 11643-1999's own example: 11010519491231002X
    assert check_char("11010519491231002") == "X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("65402519900101123", "length"),
        ("6540251990010112311", "length"),
        ("65402519900101123A", "characters"),
        ("654025199001011232", "checksum"),
        ("654025199002301230", "birth_date"),  # 30 February
        ("654025199013011230", "birth_date"),  # month 13
        ("654025189912311230", "birth_date"),  # before 1900
        ("654025209901011230", "birth_date"),  # in the future
        ("054025199001011230", "region"),
    ],
)
def test_it_refuses_bad_numbers_with_a_reason(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, today=dt.date(2026, 11, 25))
    assert exc.value.code == code


def test_it_names_an_impossible_birth_date():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("654025199002301230")
    assert "1990-02-30" in exc.value.messages[0]


def test_it_masks_all_but_the_first_and_last_four():
    assert mask_id_number("654025199001011231") == "6540**********1231"
