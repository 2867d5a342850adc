from django.urls import path

from . import views

app_name = "timescales"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("team/", views.team, name="team"),
    path("overdue/", views.overdue, name="overdue"),
    path("rules/", views.rules, name="rules"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/closure-days/", views.closure_days, name="closure_days"),
    path("settings/rules/<slug:rule_code>/", views.setting_edit, name="setting_edit"),
    path("missed/<int:child_id>/<slug:rule_code>/", views.missed_reason, name="missed_reason"),
]
