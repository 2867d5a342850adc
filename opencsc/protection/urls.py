from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("<int:child_id>/protection/", views.overview, name="overview"),
    path("<int:child_id>/protection/strategy/add/", views.strategy_add, name="strategy_add"),
    path("<int:child_id>/protection/s47/<int:s47_id>/", views.s47_outcome, name="s47_outcome"),
    path("<int:child_id>/protection/conferences/add/", views.conference_add, name="conference_add"),
    path("<int:child_id>/protection/conferences/<int:conference_id>/plan/", views.cp_plan_start,
         name="cp_plan_start"),
    path("<int:child_id>/protection/plans/<int:cp_plan_id>/end/", views.cp_plan_end, name="cp_plan_end"),
    path("<int:child_id>/protection/police-protection/add/", views.police_protection_add,
         name="police_protection_add"),
    path("<int:child_id>/protection/emergency-protection-orders/add/", views.epo_add, name="epo_add"),
]
