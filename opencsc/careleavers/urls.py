from django.urls import path

from . import views

app_name = "careleavers"
urlpatterns = [
    path("children/<int:child_id>/care-leavers/", views.overview, name="overview"),
    path("children/<int:child_id>/care-leavers/category/", views.eligibility, name="eligibility"),
    path("children/<int:child_id>/care-leavers/adviser/", views.adviser, name="adviser"),
    path("children/<int:child_id>/care-leavers/pathway-plans/add/", views.plan_add, name="plan_add"),
    path("children/<int:child_id>/care-leavers/pathway-plans/<int:plan_id>/review/", views.plan_review,
         name="plan_review"),
    path("children/<int:child_id>/care-leavers/contacts/add/", views.contact_add, name="contact_add"),
    path("children/<int:child_id>/care-leavers/support/", views.support, name="support"),
    path("care-leavers/", views.authority, name="authority"),
    path("care-leavers/young-people/", views.young_people, name="young_people"),
    path("care-leavers/caseload/", views.caseload, name="caseload"),
]
