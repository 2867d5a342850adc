"""DfE code lists: the single source for forms, validation, exports and reports.

The lists are read from the DfE specifications kept beside this module
(`specs/`, copied unchanged from the published CIN census schema and the
SSDA903 code book), never typed in by hand. No Django imports here.
"""

from .lists import (
    ASSESSMENT_FACTORS,
    CATEGORY_OF_ABUSE,
    DISABILITY,
    ETHNICITY,
    PRIMARY_NEED,
    REASON_FOR_CLOSURE,
    REFERRAL_SOURCE,
    SEX,
    CodeList,
)

__all__ = [
    "ASSESSMENT_FACTORS",
    "CATEGORY_OF_ABUSE",
    "DISABILITY",
    "ETHNICITY",
    "PRIMARY_NEED",
    "REASON_FOR_CLOSURE",
    "REFERRAL_SOURCE",
    "SEX",
    "CodeList",
]
