from django.urls import include, path

urlpatterns = [
    path("", include("opencsc.core.urls")),
    path("accounts/", include("opencsc.accounts.urls")),
    path("children/", include("opencsc.people.urls")),
    path("children/", include("opencsc.casework.urls")),
    path("children/", include("opencsc.assessment.urls")),
    path("children/", include("opencsc.protection.urls")),
    path("timescales/", include("opencsc.timescales.urls")),
]
