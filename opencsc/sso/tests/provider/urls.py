from django.urls import include, path

from . import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("test/login/", views.sign_in),
    path("test/signed-in/", views.signed_in),
    path("test/users/", views.add_user),
    path("test/next-id-token/", views.next_id_token),
]
