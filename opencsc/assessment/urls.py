from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("<int:child_id>/need/", views.episodes, name="episodes"),
    path("<int:child_id>/need/referral/", views.referral_add, name="referral_add"),
    path("<int:child_id>/need/<int:episode_id>/", views.episode_detail, name="episode_detail"),
    path("<int:child_id>/need/<int:episode_id>/assessment/", views.assessment_edit, name="assessment_edit"),
    path("<int:child_id>/need/<int:episode_id>/assessment/authorise/", views.assessment_authorise,
         name="assessment_authorise"),
    path("<int:child_id>/need/<int:episode_id>/assessment/submit/", views.assessment_submit,
         name="assessment_submit"),
    path("<int:child_id>/need/<int:episode_id>/assessment/return/", views.assessment_return,
         name="assessment_return"),
    # Work queues (work.py): /children/assessments/...
    path("assessments/awaiting-authorisation/", views.awaiting_authorisation, name="awaiting_authorisation"),
    path("assessments/returned/", views.returned, name="returned"),
    path("assessments/next-steps/", views.next_steps, name="next_steps"),
    path("<int:child_id>/need/<int:episode_id>/cin-plan/", views.cin_plan_start, name="cin_plan_start"),
    path("<int:child_id>/need/<int:episode_id>/close/", views.episode_close, name="episode_close"),
]
