from django.urls import path

from . import views

app_name = "edt"
urlpatterns = [
    path("out-of-hours/", views.handovers, name="handovers"),
    path("children/<int:child_id>/out-of-hours/", views.entries, name="entries"),
    path("children/<int:child_id>/out-of-hours/add/", views.entry_add, name="entry_add"),
    path("children/<int:child_id>/out-of-hours/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("children/<int:child_id>/out-of-hours/<int:entry_id>/acknowledge/", views.entry_acknowledge,
         name="entry_acknowledge"),
]
