from django.urls import path

from . import views

app_name = "wellbeing"

urlpatterns = [
    path("children/<int:child_id>/wellbeing/", views.overview, name="overview"),
    path("children/<int:child_id>/wellbeing/<slug:kind>/add/", views.record_add, name="record_add"),
    path("children/<int:child_id>/wellbeing/contact/<int:arrangement_id>/end/", views.contact_end,
         name="contact_end"),
    path("children/<int:child_id>/wellbeing/complaints/<int:complaint_id>/", views.complaint_update,
         name="complaint_update"),
    path("wellbeing/", views.dashboard, name="dashboard"),
    path("wellbeing/children/", views.children, name="children"),
]
