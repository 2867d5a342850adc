from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/recovery/", views.two_factor_recovery, name="two_factor_recovery"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/password/", views.user_set_password, name="user_set_password"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:user_id>/reset-two-factor/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("users/<int:user_id>/two-factor-code/", views.user_two_factor_code, name="user_two_factor_code"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:approval_id>/", views.approval_detail, name="approval_detail"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("access-log/", views.access_log, name="access_log"),
]
