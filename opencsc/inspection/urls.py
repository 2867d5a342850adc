from django.urls import path

from . import views

app_name = "inspection"

urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/add/", views.inspection_add, name="add"),
    path("inspections/my-actions/", views.my_actions, name="my_actions"),
    path("inspections/overdue-actions/", views.overdue, name="overdue"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="detail"),
    path("inspections/<int:inspection_id>/edit/", views.inspection_edit, name="edit"),
    path("inspections/<int:inspection_id>/action-plan.xlsx", views.export, name="export"),
    path("inspections/<int:inspection_id>/areas/paste/", views.areas_paste, name="areas_paste"),
    path("inspections/<int:inspection_id>/areas/<int:area_id>/edit/", views.area_edit, name="area_edit"),
    path("inspections/<int:inspection_id>/areas/<int:area_id>/remove/", views.area_remove, name="area_remove"),
    path("inspections/<int:inspection_id>/areas/<int:area_id>/actions/add/", views.action_add, name="action_add"),
    path("inspections/actions/<int:action_id>/", views.action_detail, name="action"),
    path("inspections/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("inspections/actions/<int:action_id>/update/", views.action_update, name="action_update"),
]
