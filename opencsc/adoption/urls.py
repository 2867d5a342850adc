from django.urls import path

from . import views

app_name = "adoption"

CHILD = "children/<int:child_id>/adoption/"
PLAN = CHILD + "<int:plan_id>/"

urlpatterns = [
    path(CHILD, views.overview, name="overview"),
    path(CHILD + "plan/add/", views.plan_start, name="plan_start"),
    path(PLAN + "placement-order/", views.milestone, {"step": "placement_order"}, name="placement_order"),
    path(PLAN + "match/", views.milestone, {"step": "match"}, name="match"),
    path(PLAN + "placement/", views.milestone, {"step": "placement"}, name="placement"),
    path(PLAN + "adoption-order/", views.milestone, {"step": "adoption_order"}, name="adoption_order"),
    path(PLAN + "end/", views.milestone, {"step": "plan_end"}, name="plan_end"),
    path(PLAN + "reviews/add/", views.review_add, name="review_add"),
    path(PLAN + "visits/add/", views.visit_add, name="visit_add"),
    path(CHILD + "orders/add/", views.order_add, name="order_add"),
    path("adoption/", views.dashboard, name="dashboard"),
    path("adoption/scorecard/<str:code>/", views.measure, name="measure"),
    path("adoption/children/", views.waiting, name="waiting"),
    path("adoption/adopters/", views.adopters, name="adopters"),
    path("adoption/adopters/add/", views.adopter_add, name="adopter_add"),
    path("adoption/adopters/<int:household_id>/", views.adopter_detail, name="adopter_detail"),
    path("adoption/adopters/<int:household_id>/adopters/add/", views.adopter_person_add, name="adopter_person_add"),
    path("adoption/adopters/<int:household_id>/stage/", views.adopter_stage, name="adopter_stage"),
    path("adoption/adopters/<int:household_id>/withdraw/", views.adopter_withdraw, name="adopter_withdraw"),
]
