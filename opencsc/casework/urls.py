from django.urls import path

from . import chronology_views, plan_views, views

app_name = "casework"
urlpatterns = [
    path("<int:child_id>/", views.child_record, name="child_record"),
    path("<int:child_id>/chronology/", views.chronology, name="chronology"),
    path("<int:child_id>/chronology/add/", views.chronology_add, name="chronology_add"),
    path("<int:child_id>/chronology/export/", chronology_views.chronology_export, name="chronology_export"),
    path("<int:child_id>/chronology/analysis/<slug:kind>/<int:source_id>/<int:seq>/",
         chronology_views.chronology_analysis, name="chronology_analysis"),
    path("<int:child_id>/notes/", views.notes, name="notes"),
    path("<int:child_id>/notes/add/", views.note_add, name="note_add"),
    path("<int:child_id>/notes/<int:note_id>/", views.note_detail, name="note_detail"),
    path("<int:child_id>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:child_id>/documents/", views.documents, name="documents"),
    path("<int:child_id>/documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<int:child_id>/history/", views.history, name="history"),
    path("<int:child_id>/plans/", plan_views.plans, name="plans"),
    path("<int:child_id>/plans/<int:plan_id>/", plan_views.plan_detail, name="plan_detail"),
    path("<int:child_id>/plans/<int:plan_id>/actions/add/", plan_views.plan_action_add, name="plan_action_add"),
    path("<int:child_id>/plans/<int:plan_id>/meetings/add/", plan_views.plan_meeting_add, name="plan_meeting_add"),
    path("<int:child_id>/plans/<int:plan_id>/end/", plan_views.plan_end, name="plan_end"),
    path("<int:child_id>/plans/<int:plan_id>/for-the-child/", plan_views.plan_child_version,
         name="plan_child_version"),
    path("<int:child_id>/visits/", plan_views.visits, name="visits"),
    path("<int:child_id>/oversight/", plan_views.oversight, name="oversight"),
]
