from django.urls import path

from . import views

app_name = "care"

_child = "children/<int:child_id>/care/"
urlpatterns = [
    path("care/", views.children_in_care, name="list"),
    path("care/escalations/", views.escalations, name="escalations"),
    path("care/my-reviews/", views.iro_caseload, name="iro_caseload"),
    path(_child, views.overview, name="overview"),
    path(_child + "become-looked-after/", views.become_looked_after, name="become_looked_after"),
    path(_child + "placement-change/", views.placement_change, name="placement_change"),
    path(_child + "legal-status-change/", views.legal_status_change, name="legal_status_change"),
    path(_child + "cease/", views.period_end, name="period_end"),
    path(_child + "placements/<int:placement_id>/", views.placement_edit, name="placement_edit"),
    path(_child + "care-plan/add/", views.care_plan_add, name="care_plan_add"),
    path(_child + "iro/appoint/", views.iro_appoint, name="iro_appoint"),
    path(_child + "reviews/add/", views.review_add, name="review_add"),
    path(_child + "escalations/add/", views.escalation_add, name="escalation_add"),
    path(_child + "escalations/<int:escalation_id>/respond/", views.escalation_respond, name="escalation_respond"),
    path(_child + "escalations/<int:escalation_id>/progress/", views.escalation_progress,
         name="escalation_progress"),
]
