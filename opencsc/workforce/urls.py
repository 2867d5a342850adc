from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("workforce/", views.workload, name="workload"),
    path("workforce/workers/<int:user_id>/", views.worker, name="worker"),
    path("workforce/workers/<int:user_id>/profile/", views.profile_edit, name="profile_edit"),
    path("workforce/settings/", views.settings_page, name="settings"),
    path("workforce/changes-of-worker/", views.many_workers, name="many_workers"),
    path("workforce/awaiting-allocation/", views.awaiting_allocation, name="awaiting_allocation"),
    path("workforce/newly-allocated/", views.newly_allocated, name="newly_allocated"),
    path("workforce/supervision/", views.supervision_list, name="supervision_list"),
    path("workforce/supervision/add/", views.supervision_add, name="supervision_add"),
    path("workforce/supervision/<int:session_id>/", views.supervision_detail, name="supervision_detail"),
    path("children/<int:child_id>/workforce/", views.child_allocations, name="child"),
    path("children/<int:child_id>/workforce/allocate/", views.allocate, name="allocate"),
]
