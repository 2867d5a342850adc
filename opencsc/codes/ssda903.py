"""SSDA903 placement codes by collection year: which placement types the DfE accepts, and which carry a
placement provider and an Ofsted URN.

The lists change from 2025-26: H5 (semi-independent living) became K3 (supported accommodation), Z1
(other placements) was split into Z11 to Z14, and P2 (independent living) went. They are copied from
the DfE's own validator (csc-validator-be-903, `lac_validator/rules/lac<year>/`), which is the DfE's
reading of its 903 validation rules for each year:

    rule 146 (valid placement types)            lac2022_23 (to 2024-25), lac2025_26
    rules 178, 213, 526 (placement provider)    lac2022_23 (to 2024-25), lac2025_26
    rule 222 (no Ofsted URN)                     lac2022_23, lac2023_24 (H5 may have one; to 2024-25), lac2025_26
    rule 101 (sex)                               lac2022_23 (1, 2; to 2023-24), lac2024_25 (M, F, U)

The 2024-25 pack's rule 146 adds "k3" in lower case, which matches no code (the tool itself rejects K3
in 2024-25), so 2024-25 keeps the code book's list. No Django imports here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .lists import PLACEMENT_TYPE, SEX

TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
OTHER_FROM_2026 = frozenset({"Z11", "Z12", "Z13", "Z14"})
FIRST_YEAR_OF_2026_CODES = 2026  # collection year 2025-26, named by the year it ends


@dataclass(frozen=True)
class PlacementCodes:
    """The 903 placement codes of one collection year (named by the year it ends)."""

    ending: int
    types: frozenset[str]  # valid PLACE values (rule 146)
    no_provider: frozenset[str]  # PLACE_PROVIDER must be blank (rules 213, 526; 178 in part)
    provider_refused: frozenset[str]  # a PLACE_PROVIDER given is "not a valid code" (rule 178)
    no_urn: frozenset[str]  # URN must be blank unless XXXXXXX (rule 222)
    renamed: tuple[tuple[str, str], ...]  # (code recorded, code returned this year)

    def returned(self, place: str) -> str:
        """The PLACE to return this year for a placement recorded with `place` (an earlier year's code)."""
        return dict(self.renamed).get(place, place)


@cache
def placement_codes(ending: int) -> PlacementCodes:
    """The placement codes of the collection year ending in March of `ending`."""
    if ending < FIRST_YEAR_OF_2026_CODES:
        # H5 (semi-independent living) may have an Ofsted URN from 2023-24, and must from 2024-25 (rule 218)
        h5 = {"H5"} if ending < 2024 else set()
        return PlacementCodes(
            ending=ending,
            types=PLACEMENT_TYPE.codes,
            no_provider=TEMPORARY | {"Z1"},
            provider_refused=TEMPORARY | {"Z1"},
            no_urn=TEMPORARY | {"P1", "P2", "P3", "R1", "R2", "R5", "Z1"} | h5,
            renamed=(),
        )
    return PlacementCodes(
        ending=ending,
        types=(PLACEMENT_TYPE.codes - {"H5", "P2", "Z1"}) | {"K3"} | OTHER_FROM_2026,
        no_provider=TEMPORARY | OTHER_FROM_2026,
        provider_refused=(TEMPORARY - {"T4"}) | OTHER_FROM_2026,
        no_urn=TEMPORARY | {"P1", "P3", "R1", "R2", "R5"} | OTHER_FROM_2026,
        # A placement recorded with the code book's Z1 is returned as Z14 ("other"): the records do not
        # say which of Z11 to Z13 it would be.
        renamed=(("H5", "K3"), ("Z1", "Z14")),
    )


# Header.SEX and UASC.SEX: 1 (male) and 2 (female) until 2023-24; the records' M, F and U from 2024-25.
SEX_UNTIL_2024 = {"M": "1", "F": "2"}


def sex_codes(ending: int) -> frozenset[str]:
    """The valid SEX values of the collection year ending in March of `ending` (rule 101)."""
    return frozenset(SEX_UNTIL_2024.values()) if ending < 2025 else SEX.codes


def sex_returned(sex: str, ending: int) -> str:
    """SEX as the collection year asks for it, for the records' M, F or U."""
    return SEX_UNTIL_2024.get(sex, sex) if ending < 2025 else sex
