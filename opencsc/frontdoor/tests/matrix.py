"""The front door's part of the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import READ_ALL_ROLES, Entry
from opencsc.frontdoor.access import DASHBOARD_ROLES, DECIDE_ROLES, FRONTDOOR_ROLES, PARTNER_ROLES

MATRIX = {
    "frontdoor:child_contacts": Entry(READ_ALL_ROLES, ("child",)),
    "frontdoor:contacts": Entry(DASHBOARD_ROLES),
    "frontdoor:contact_add": Entry(FRONTDOOR_ROLES),
    "frontdoor:contact_detail": Entry(DASHBOARD_ROLES, ("contact",)),
    "frontdoor:contact_screen": Entry(FRONTDOOR_ROLES, ("contact",)),
    "frontdoor:contact_decide": Entry(DECIDE_ROLES, ("contact",)),
    "frontdoor:domestic_abuse_add": Entry(FRONTDOOR_ROLES, ("contact",)),
    "frontdoor:encompass_add": Entry(FRONTDOOR_ROLES, ("da_contact", "child")),
    "frontdoor:request_add": Entry(FRONTDOOR_ROLES, ("contact",)),
    "frontdoor:encompass_list": Entry(FRONTDOOR_ROLES),
    "frontdoor:request_board": Entry(DASHBOARD_ROLES),
    "frontdoor:partner_requests": Entry(PARTNER_ROLES),
    "frontdoor:partner_request": Entry(PARTNER_ROLES, ("information_request",)),
    "frontdoor:dashboard": Entry(DASHBOARD_ROLES),
    "frontdoor:dashboard_children": Entry(DASHBOARD_ROLES, ("measure",)),
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
