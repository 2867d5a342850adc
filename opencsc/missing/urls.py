from django.urls import path

from . import views

app_name = "missing"

urlpatterns = [
    path("children/<int:child_id>/missing/", views.overview, name="overview"),
    path("children/<int:child_id>/missing/episodes/add/", views.episode_add, name="episode_add"),
    path("children/<int:child_id>/missing/episodes/<int:episode_id>/return/", views.episode_return,
         name="episode_return"),
    path("children/<int:child_id>/missing/episodes/<int:episode_id>/interview/", views.interview_add,
         name="interview_add"),
    path("children/<int:child_id>/missing/assessments/add/", views.assessment_add, name="assessment_add"),
    path("children/<int:child_id>/missing/meetings/add/", views.meeting_add, name="meeting_add"),
    path("missing/", views.currently_missing, name="currently_missing"),
    path("missing/exploitation-reviews/", views.exploitation_reviews, name="exploitation_reviews"),
    path("missing/report/", views.report, name="report"),
    path("missing/report/children/", views.report_children, name="report_children"),
]
