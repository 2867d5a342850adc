"""Made-up identifiers in valid formats: NHS numbers, UPNs, postcodes, LA child IDs.

NHS numbers are drawn from the 999 range NHS England keeps for test data, so a
synthetic number can never be a real person's; their check digits are valid.
"""

from __future__ import annotations

import random

from opencsc.people.validators import nhs_check_digit, upn_check_letter

# The made-up authority's postcode districts, Hounslow-style.
POSTCODE_DISTRICTS = ("TW3", "TW4", "TW5", "TW7", "TW13", "TW14")
# Letters used in the inward code of UK postcodes (no C, I, K, M, O or V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LA_CODE = "313"  # a real DfE LA number (Hounslow's, whose postcodes the authority uses): UPNs must carry one (CIN rule 1530)


def la_child_id(number: int) -> str:
    """The same shape people.services gives new children: C + 7 digits."""
    return f"C{number:07d}"


def nhs_number(rng: random.Random, used: set[str]) -> str:
    while True:
        first_nine = "999" + f"{rng.randrange(10**6):06d}"
        check = nhs_check_digit(first_nine)
        if check is None:
            continue
        number = f"{first_nine}{check}"
        if number not in used:
            used.add(number)
            return number


def upn(rng: random.Random, used: set[str], *, establishment: str, year_of_issue: int) -> str:
    """A permanent UPN: check letter, LA number, establishment, two-digit year, serial."""
    while True:
        body = f"{LA_CODE}{establishment[-4:]:0>4}{year_of_issue % 100:02d}{rng.randrange(1000):03d}"
        number = upn_check_letter(body) + body
        if number not in used:
            used.add(number)
            return number


def postcode_pool(rng: random.Random, per_district: int = 120) -> list[str]:
    """Valid-format postcodes in the made-up authority's districts."""
    pool: set[str] = set()
    for district in POSTCODE_DISTRICTS:
        made: set[str] = set()
        while len(made) < per_district:
            made.add(
                f"{district} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            )
        pool |= made
    return sorted(pool)


def misspell(rng: random.Random, name: str) -> str:
    """A plausible misspelling: a swapped, doubled, dropped or changed letter."""
    known = {
        "Mohammed": "Mohamed",
        "Muhammad": "Mohammad",
        "Aaliyah": "Aliyah",
        "Sophie": "Sofie",
        "Isabella": "Isabela",
        "Mia": "Mya",
        "Leah": "Lea",
        "Zara": "Zahra",
        "Jayden": "Jaden",
        "Olivia": "Olivea",
        "Harry": "Harrie",
        "Amelia": "Amilia",
        "Katie": "Katy",
    }
    if name in known:
        return known[name]
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    choice = rng.randrange(3)
    if choice == 0:  # swap two letters
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if choice == 1:  # double a letter
        return name[: i + 1] + name[i] + name[i + 1 :]
    return name[:i] + name[i + 1 :]  # drop a letter
