from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.report, name="report"),
    path("retention/requests/", views.request_list, name="requests"),
    path("retention/requests/<int:request_id>/", views.request_detail, name="request"),
    path("retention/periods/", views.rules, name="rules"),
    path("retention/periods/<slug:record_class>/edit/", views.rule_edit, name="rule_edit"),
    path("retention/destroyed/", views.destroyed, name="destroyed"),
    path("retention/holds/", views.holds, name="holds"),
    path("retention/holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
]
