"""Valid identifiers for tests, made by computing their check digits."""

from opencsc.people.validators import nhs_check_digit, upn_check_letter


def make_nhs_number(seed: int) -> str:
    """A valid NHS number: the first nine digits from `seed`, skipping those with no check digit."""
    n = seed
    while True:
        first_nine = f"{n % 10**9:09d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)
        n += 1


def make_upn(seed: int, *, temporary: bool = False) -> str:
    body = f"{201 + seed % 700:03d}{seed % 10000:04d}{seed % 100:02d}"
    serial = f"{seed % 100:02d}A" if temporary else f"{seed % 1000:03d}"
    last_twelve = body + serial
    return upn_check_letter(last_twelve) + last_twelve
