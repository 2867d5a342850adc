from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.child_create, name="child_create"),
    path("<int:child_id>/details/", views.child_edit, name="child_edit"),
    path("<int:child_id>/names/", views.aliases, name="aliases"),
    path("<int:child_id>/addresses/", views.addresses, name="addresses"),
    path("<int:child_id>/family/", views.family, name="family"),
    path("<int:child_id>/family/add/", views.family_add, name="family_add"),
    path("<int:child_id>/family/<int:relationship_id>/", views.relationship_edit, name="relationship_edit"),
    path("<int:child_id>/family/<int:relationship_id>/end/", views.relationship_end, name="relationship_end"),
    path("<int:child_id>/merge/", views.merge, name="merge"),
    path("<int:child_id>/restriction/", views.restriction, name="restriction"),
    path("<int:child_id>/sharing/", views.sharing, name="sharing"),
]
