import pytest
from django.core.exceptions import ValidationError

from opencsc.people.validators import (
    UPN_ALPHABET,
    is_valid_nhs_number,
    is_valid_postcode,
    is_valid_upn,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_search_form,
    upn_check_letter,
)

from .identifiers import make_nhs_number, make_upn

# NHS number --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, stored",
    [
        ("9434765919", "9434765919"),  # the NHS's published example
        ("943 476 5919", "9434765919"),
        (" 943-476-5919 ", "9434765919"),
        ("4010232137", "4010232137"),
    ],
)
def test_a_real_nhs_number_is_stored_as_ten_digits(value, stored):
    assert normalise_nhs_number(value) == stored


@pytest.mark.parametrize("seed", range(0, 5000, 97))
def test_generated_nhs_numbers_pass_and_every_other_last_digit_fails(seed):
    number = make_nhs_number(seed)
    assert is_valid_nhs_number(number)
    for digit in "0123456789":
        if digit != number[-1]:
            assert not is_valid_nhs_number(number[:-1] + digit)


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "NHS number must be 10 digits, like 943 476 5919"),
        ("943476591", "NHS number must be 10 digits, like 943 476 5919"),
        ("94347659190", "NHS number must be 10 digits, like 943 476 5919"),
        ("94347659A9", "NHS number must be 10 digits, like 943 476 5919"),
        ("９４３４７６５９１９", "NHS number must be 10 digits, like 943 476 5919"),  # full-width digits
        ("9434765918", "Enter a valid NHS number, like 943 476 5919"),
        ("9434765910", "Enter a valid NHS number, like 943 476 5919"),
    ],
)
def test_a_wrong_nhs_number_is_refused_with_a_plain_message(value, message):
    with pytest.raises(ValidationError) as exc:
        normalise_nhs_number(value)
    assert exc.value.messages == [message]


def test_nine_digits_whose_check_digit_would_be_10_make_no_valid_number():
    prefix = next(f"{n:09d}" for n in range(1000) if nhs_check_digit(f"{n:09d}") is None)
    assert all(not is_valid_nhs_number(prefix + d) for d in "0123456789")


@pytest.mark.parametrize("first_nine, check", [("943476591", 9), ("000000000", 0), ("401023213", 7)])
def test_nhs_check_digit(first_nine, check):
    assert nhs_check_digit(first_nine) == check


# UPN -----------------------------------------------------------------------------


@pytest.mark.parametrize("value, stored", [("B801200005001", "B801200005001"), (" b801 2000 05001 ", "B801200005001")])
def test_a_real_upn_is_stored_in_upper_case(value, stored):
    assert normalise_upn(value) == stored


def test_check_letter_worked_example():
    # weights 2..13 over 801200005001: 16 + 4 + 10 + 50 + 13 = 93; 93 mod 23 = 1 -> B
    assert upn_check_letter("801200005001") == "B"


@pytest.mark.parametrize("seed", range(0, 3000, 131))
@pytest.mark.parametrize("temporary", [False, True])
def test_generated_upns_pass_and_every_other_check_letter_fails(seed, temporary):
    upn = make_upn(seed, temporary=temporary)
    assert is_valid_upn(upn)
    for letter in UPN_ALPHABET:
        if letter != upn[0]:
            assert not is_valid_upn(letter + upn[1:])


@pytest.mark.parametrize("last", list(UPN_ALPHABET))
def test_a_temporary_upn_may_end_in_any_check_alphabet_letter(last):
    body = "80120000500" + last
    assert is_valid_upn(upn_check_letter(body) + body)


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "UPN must be 13 characters"),
        ("B80120000500", "UPN must be 13 characters"),
        ("B8012000050011", "UPN must be 13 characters"),
        ("1801200005001", "UPN must be a letter, then 11 digits, then a digit or letter"),
        ("I801200005001", "UPN must be a letter, then 11 digits, then a digit or letter"),
        ("B80120000A001", "UPN must be a letter, then 11 digits, then a digit or letter"),
        ("B80120000500O", "UPN must be a letter, then 11 digits, then a digit or letter"),
        ("A801200005001", "Enter a valid UPN, like A123456789012"),
    ],
)
def test_a_wrong_upn_is_refused(value, message):
    with pytest.raises(ValidationError) as exc:
        normalise_upn(value)
    assert exc.value.messages == [message]


# Postcode ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, stored",
    [
        ("TW3 1ES", "TW3 1ES"),
        ("tw31es", "TW3 1ES"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_a_real_postcode_is_stored_in_upper_case_with_one_space(value, stored):
    assert normalise_postcode(value) == stored


@pytest.mark.parametrize(
    "value",
    ["", "TW3", "TW31", "1W3 1ES", "QW3 1ES", "TW3 1CS", "TW3 1EI", "TW3 EES", "TWW3 1ES", "TW3  1ES X", "SW1A1A"],
)
def test_a_wrong_postcode_is_refused(value):
    assert not is_valid_postcode(value)
    with pytest.raises(ValidationError, match="Enter a real postcode"):
        normalise_postcode(value)


@pytest.mark.parametrize(
    "value, expected",
    [("tw3 1es", ("TW3 1ES", True)), ("tw3", ("TW3", False)), ("SW1A", ("SW1A", False)), ("!!", ("", False))],
)
def test_postcode_for_search(value, expected):
    assert postcode_search_form(value) == expected
