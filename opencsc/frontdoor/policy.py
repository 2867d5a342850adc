"""Who may do what at the front door (the MASH): contacts, screening, decisions, domestic abuse
notifications, Operation Encompass and information requests. The children themselves are always
fetched through people.access, which adds the record's own conditions (restriction, sharing)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role

AREA = "Front door"
# MASH practitioners and managers work the front door.
_FRONT_DOOR = frozenset({Role.MASH_PRACTITIONER}) | MANAGER_ROLES

may_view_contacts = permission(
    "view_contacts", _FRONT_DOOR | {Role.PERFORMANCE_ANALYST},
    "See the front door's contacts (only those whose every child they can see), the information requests "
    "board and the front door's figures with the children behind them.", area=AREA,
    refusal="Only the front door and performance analysts can see contacts")
may_record_contact = permission(
    "record_contact", _FRONT_DOOR, "Record a contact about one or more children.", area=AREA,
    refusal="Only MASH practitioners and managers record contacts")
may_screen_contact = permission(
    "screen_contact", _FRONT_DOOR, "Screen a contact: the level of need and why.", area=AREA,
    refusal="Only MASH practitioners and managers screen contacts")
may_decide_contact = permission(
    "decide_contact", MANAGER_ROLES, "Decide what happens next on a contact.", area=AREA,
    refusal="Only team managers and service managers decide on contacts")
may_record_domestic_abuse = permission(
    "record_domestic_abuse", _FRONT_DOOR,
    "Record a police notification of domestic abuse and its risk screening.", area=AREA,
    refusal="Only MASH practitioners and managers record notifications")
may_tell_school = permission(
    "tell_school", _FRONT_DOOR,
    "Record that a child's school was told of a domestic abuse notification (Operation Encompass), and see "
    "the children whose school has not been told yet.", area=AREA,
    refusal="Only MASH practitioners and managers tell schools")
may_request_information = permission(
    "request_information", _FRONT_DOOR, "Ask a partner agency for information about a contact.",
    area=AREA, refusal="Only MASH practitioners and managers ask partners for information")
may_answer_information_request = permission(
    "answer_information_request", {Role.PARTNER},
    "Answer the MASH's requests for information sent to their own agency (partner agencies).", area=AREA,
    refusal="Only the agency asked can answer this request")
