from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("<int:child_id>/", views.child_record, name="child_record"),
    path("<int:child_id>/chronology/", views.chronology, name="chronology"),
    path("<int:child_id>/chronology/add/", views.chronology_add, name="chronology_add"),
    path("<int:child_id>/notes/", views.notes, name="notes"),
    path("<int:child_id>/notes/add/", views.note_add, name="note_add"),
    path("<int:child_id>/notes/<int:note_id>/", views.note_detail, name="note_detail"),
    path("<int:child_id>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:child_id>/documents/", views.documents, name="documents"),
    path("<int:child_id>/documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<int:child_id>/history/", views.history, name="history"),
]
