"""The front door pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.frontdoor import policy
from opencsc.people import policy as records

MATRIX = {
    "frontdoor:child_contacts": Entry(records.may_view_casework, ("child",)),
    "frontdoor:contacts": Entry(policy.may_view_contacts),
    "frontdoor:contact_add": Entry(policy.may_record_contact),
    "frontdoor:decisions": Entry(policy.may_decide_contact),
    "frontdoor:screening": Entry(policy.may_screen_contact),
    "frontdoor:contact_detail": Entry(policy.may_view_contacts, ("contact",)),
    "frontdoor:contact_screen": Entry(policy.may_screen_contact, ("contact",)),
    "frontdoor:contact_decide": Entry(policy.may_decide_contact, ("contact",)),
    "frontdoor:domestic_abuse_add": Entry(policy.may_record_domestic_abuse, ("contact",)),
    "frontdoor:encompass_add": Entry(policy.may_tell_school, ("da_contact", "child")),
    "frontdoor:request_add": Entry(policy.may_request_information, ("contact",)),
    "frontdoor:encompass_list": Entry(policy.may_tell_school),
    "frontdoor:request_board": Entry(policy.may_view_contacts),
    "frontdoor:partner_requests": Entry(policy.may_answer_information_request),
    "frontdoor:partner_request": Entry(policy.may_answer_information_request, ("information_request",)),
    "frontdoor:dashboard": Entry(policy.may_view_contacts),
    "frontdoor:dashboard_children": Entry(policy.may_view_contacts, ("measure",)),
}


def extend_world(world, *, author, child, episode):
    from .factories import ContactFactory, DomesticAbuseNotificationFactory, InformationRequestFactory

    contact = ContactFactory(children=[child], created_by=author)
    notification = DomesticAbuseNotificationFactory(contact__children=[child], contact__created_by=author,
                                                    created_by=author)
    world["contact"] = contact.pk
    world["da_contact"] = notification.contact_id
    world["information_request"] = InformationRequestFactory(contact=contact, agency="police",
                                                              requested_by=author).pk
    world["measure"] = "received"
