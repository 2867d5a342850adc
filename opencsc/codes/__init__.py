"""DfE code lists: the single source for forms, validation, exports and reports.

The lists are read from the DfE specifications kept beside this module
(`specs/`, copied unchanged from the published CIN census schema and the
SSDA903 code book), never typed in by hand. No Django imports here.
"""

from .lists import (
    ASSESSMENT_FACTORS,
    CATEGORY_OF_ABUSE,
    CATEGORY_OF_NEED,
    DISABILITY,
    ETHNICITY,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    PLACEMENT_TYPE,
    PRIMARY_NEED,
    REASON_EPISODE_CEASED,
    REASON_FOR_CLOSURE,
    REASON_NEW_EPISODE,
    REASON_PLACE_CHANGE,
    REFERRAL_SOURCE,
    REVIEW_PARTICIPATION,
    SEX,
    CodeList,
    ssda903_list,
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
    "CATEGORY_OF_NEED",
    "LEGAL_STATUS",
    "PLACEMENT_PROVIDER",
    "PLACEMENT_TYPE",
    "REASON_EPISODE_CEASED",
    "REASON_NEW_EPISODE",
    "REASON_PLACE_CHANGE",
    "REVIEW_PARTICIPATION",
    "ssda903_list",
]
