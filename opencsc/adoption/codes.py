"""The SSDA903 code lists this area uses, read from the code book by `opencsc.codes`.

The code book lists the codes only; the descriptions below are the SSDA903 guidance's words
for them, applied to the codes the code book lists (a test checks every code has one).
"""

from __future__ import annotations

from opencsc.codes.lists import CodeList, ssda903_list


def _described(codes: CodeList, descriptions: dict[str, str]) -> CodeList:
    return CodeList(
        name=codes.name, source=codes.source,
        items=tuple((code, descriptions.get(code, code)) for code, _ in codes.items),
    )


# PlacedAdoption.REASON_PLACED_CEASED: why the decision that the child should be placed for adoption ended.
REASON_PLACED_CEASED = _described(
    ssda903_list("PlacedAdoption", "REASON_PLACED_CEASED", "Reason the plan for adoption ended"),
    {
        "RD1": "The child's needs changed after the decision",
        "RD2": "The court did not make a placement order",
        "RD3": "Prospective adopters could not be found",
        "RD4": "Any other reason",
    },
)

# AD1.SEX_ADOPTR: the adopter or adopters.
SEX_OF_ADOPTERS = _described(
    ssda903_list("AD1", "SEX_ADOPTR", "Adopters"),
    {
        "M1": "One male adopter",
        "F1": "One female adopter",
        "MM": "Two male adopters",
        "FF": "Two female adopters",
        "MF": "A male and a female adopter",
    },
)
NUMBER_OF_ADOPTERS = {"M1": 1, "F1": 1, "MM": 2, "FF": 2, "MF": 2}
