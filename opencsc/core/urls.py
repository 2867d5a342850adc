from django.urls import path

from . import menu_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("menu/<slug:group>/", menu_views.menu_group, name="menu_group"),
]
