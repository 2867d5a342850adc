from django.urls import path

from . import views

app_name = "earlyhelp"
C = "children/<int:child_id>/early-help/"
E = C + "<int:episode_id>/"
urlpatterns = [
    path("early-help/", views.dashboard, name="dashboard"),
    path("early-help/children/", views.children_list, name="children"),
    path(C, views.overview, name="overview"),
    path(C + "start/", views.episode_start, name="episode_start"),
    path(E, views.episode_detail, name="episode_detail"),
    path(E + "assessment/", views.assessment, name="assessment"),
    path(E + "team/add/", views.member_add, name="member_add"),
    path(E + "plan/", views.plan_start, name="plan_start"),
    path(E + "review/", views.review_add, name="review_add"),
    path(E + "step-up/", views.step_up, name="step_up"),
    path(E + "close/", views.episode_close, name="episode_close"),
    path(C + "step-down/<int:cin_episode_id>/decision/", views.step_down_decision, name="step_down_decision"),
    path(C + "steps/<int:step_id>/decision/", views.step_decision, name="step_decision"),
    path(C + "steps/<int:step_id>/outcome/", views.step_outcome, name="step_outcome"),
]
