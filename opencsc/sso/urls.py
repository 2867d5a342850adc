from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    # Anyone may reach these two (accounts.middleware.PUBLIC_PREFIXES has /sso/sign-in/).
    path("sign-in/", views.SignInStart.as_view(), name="start"),
    path("sign-in/callback/", views.SignInCallback.as_view(), name="callback"),
    path("", views.identities, name="identities"),
    path("users/<int:user_id>/", views.user_identity, name="user"),
    path("users/<int:user_id>/unlink/", views.unlink, name="unlink"),
]
