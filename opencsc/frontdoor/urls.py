from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("children/<int:child_id>/frontdoor/", views.child_contacts, name="child_contacts"),
    path("frontdoor/", views.contacts, name="contacts"),
    path("frontdoor/decisions/", views.decisions, name="decisions"),
    path("frontdoor/screening/", views.screening, name="screening"),
    path("frontdoor/contacts/add/", views.contact_add, name="contact_add"),
    path("frontdoor/contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("frontdoor/contacts/<int:contact_id>/screen/", views.contact_screen, name="contact_screen"),
    path("frontdoor/contacts/<int:contact_id>/decide/", views.contact_decide, name="contact_decide"),
    path("frontdoor/contacts/<int:contact_id>/domestic-abuse/", views.domestic_abuse_add, name="domestic_abuse_add"),
    path("frontdoor/contacts/<int:contact_id>/encompass/<int:child_id>/", views.encompass_add, name="encompass_add"),
    path("frontdoor/contacts/<int:contact_id>/requests/add/", views.request_add, name="request_add"),
    path("frontdoor/encompass/", views.encompass_list, name="encompass_list"),
    path("frontdoor/requests/board/", views.request_board, name="request_board"),
    path("frontdoor/requests/", views.partner_requests, name="partner_requests"),
    path("frontdoor/requests/<int:request_id>/", views.partner_request, name="partner_request"),
    path("frontdoor/dashboard/", views.dashboard, name="dashboard"),
    path("frontdoor/dashboard/<slug:measure>/", views.dashboard_children, name="dashboard_children"),
]
