from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("quality/", views.dashboard, name="dashboard"),
    path("quality/audits/", views.audits, name="audits"),
    path("quality/actions/", views.actions, name="actions"),
    path("quality/moderation/", views.moderation_report, name="moderation_report"),
    path("quality/questions/", views.questions, name="questions"),
    path("quality/questions/add/", views.question_add, name="question_add"),
    path("quality/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("quality/themed/", views.themed_list, name="themed_list"),
    path("quality/themed/add/", views.themed_add, name="themed_add"),
    path("quality/themed/<int:themed_id>/", views.themed_detail, name="themed_detail"),
    path("children/<int:child_id>/quality/", views.child_audits, name="child"),
    path("children/<int:child_id>/quality/start/", views.audit_start, name="audit_start"),
    path("children/<int:child_id>/quality/<int:audit_id>/", views.audit_detail, name="audit_detail"),
    path("children/<int:child_id>/quality/<int:audit_id>/complete/", views.audit_complete, name="audit_complete"),
    path("children/<int:child_id>/quality/<int:audit_id>/moderate/", views.moderate, name="moderate"),
    path("children/<int:child_id>/quality/actions/<int:action_id>/done/", views.action_complete,
         name="action_complete"),
]
