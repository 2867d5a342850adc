"""Identifiers for children: NHS number, unique pupil number (UPN) and postcode.

Each `normalise_*` function returns the stored form of a value or raises
ValidationError with a GOV.UK-style message. The check-digit functions are
pure and used by the tests and the synthetic data generator to make valid numbers.

- NHS number: 10 digits; the 10th is a modulus 11 check digit over the first 9
  (weights 10 down to 2; 11 - remainder, where 11 becomes 0 and 10 is never valid).
- UPN (DfE guidance on unique pupil numbers): check letter, LA number (3 digits),
  establishment number (4 digits), year of issue (2 digits), serial (3 digits; a
  temporary UPN has a letter as its last character). The check letter is
  sum(weight * value) mod 23 over characters 2 to 13 with weights 2 to 13, digits
  worth their value and letters worth their place in the check-letter alphabet,
  which is A-Z without I, O and S.
- Postcode: the UK format (outward code, space, inward code), upper case.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # A=0 ... Z=22 (no I, O or S)

_UPN_SHAPE = re.compile(rf"^[{UPN_ALPHABET}][0-9]{{11}}[0-9{UPN_ALPHABET}]$")
_SEPARATORS = re.compile(r"[\s\-]")

# The UK postcode formats: A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA (and GIR 0AA).
_POSTCODE = re.compile(
    r"^(?:"
    r"[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r")[0-9][ABD-HJLNP-UW-Z]{2}$"
)
_OUTWARD = re.compile(r"^(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]?)$")


# NHS number ---------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit is possible (remainder gives 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    try:
        normalise_nhs_number(value)
    except ValidationError:
        return False
    return True


def normalise_nhs_number(value: str) -> str:
    """'943 476 5919' -> '9434765919', or ValidationError."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits.isdigit() or len(digits) != 10 or not digits.isascii():
        raise ValidationError("NHS number must be 10 digits, like 943 476 5919", code="nhs_format")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError("Enter a valid NHS number, like 943 476 5919", code="nhs_check")
    return digits


# Unique pupil number --------------------------------------------------------


def _upn_value(char: str) -> int:
    return int(char) if char.isdigit() else UPN_ALPHABET.index(char)


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2 to 13 of a UPN."""
    total = sum(weight * _upn_value(char) for weight, char in enumerate(last_twelve, start=2))
    return UPN_ALPHABET[total % 23]


def normalise_upn(value: str) -> str:
    """' a801200005001 ' -> 'A801200005001', or ValidationError."""
    upn = _SEPARATORS.sub("", value or "").upper()
    if len(upn) != 13:
        raise ValidationError("UPN must be 13 characters", code="upn_length")
    if not _UPN_SHAPE.match(upn):
        raise ValidationError(
            "UPN must be a letter, then 11 digits, then a digit or letter", code="upn_format"
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError("Enter a valid UPN, like A123456789012", code="upn_check")
    return upn


def is_valid_upn(value: str) -> bool:
    try:
        normalise_upn(value)
    except ValidationError:
        return False
    return True


# Postcode --------------------------------------------------------------------


def normalise_postcode(value: str) -> str:
    """'tw31es' -> 'TW3 1ES', or ValidationError."""
    compact = re.sub(r"\s", "", value or "").upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    if not _POSTCODE.match(compact):
        raise ValidationError("Enter a real postcode", code="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    try:
        normalise_postcode(value)
    except ValidationError:
        return False
    return True


def postcode_search_form(value: str) -> tuple[str, bool]:
    """For search: (full normalised postcode, True) or (outward code, False), or ('', False)."""
    if is_valid_postcode(value):
        return normalise_postcode(value), True
    compact = re.sub(r"\s", "", value or "").upper()
    if _OUTWARD.match(compact):
        return compact, False
    return "", False
