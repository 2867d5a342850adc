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
    SDQ_REASON,
    SEX,
    CodeList,
    ssda903_list,
)

# Every code list by the name it has in this module, for the template filters that show a code with
# its label ({{ value|code_label:"LEGAL_STATUS" }}) and for the test that no page shows a bare code.
CODE_LISTS: dict[str, CodeList] = {
    "ASSESSMENT_FACTORS": ASSESSMENT_FACTORS,
    "CATEGORY_OF_ABUSE": CATEGORY_OF_ABUSE,
    "CATEGORY_OF_NEED": CATEGORY_OF_NEED,
    "DISABILITY": DISABILITY,
    "ETHNICITY": ETHNICITY,
    "LEGAL_STATUS": LEGAL_STATUS,
    "PLACEMENT_PROVIDER": PLACEMENT_PROVIDER,
    "PLACEMENT_TYPE": PLACEMENT_TYPE,
    "PRIMARY_NEED": PRIMARY_NEED,
    "REASON_EPISODE_CEASED": REASON_EPISODE_CEASED,
    "REASON_FOR_CLOSURE": REASON_FOR_CLOSURE,
    "REASON_NEW_EPISODE": REASON_NEW_EPISODE,
    "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE,
    "REFERRAL_SOURCE": REFERRAL_SOURCE,
    "REVIEW_PARTICIPATION": REVIEW_PARTICIPATION,
    "SDQ_REASON": SDQ_REASON,
    "SEX": SEX,
}


def describe(list_name: str, code: str | None, *, with_code: bool = False) -> str:
    """A code as a person reads it: "Full care order", or "Full care order (C2)" with the code."""
    return CODE_LISTS[list_name].describe(code, with_code=with_code)


__all__ = [
    "CODE_LISTS",
    "describe",
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
