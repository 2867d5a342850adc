from django.urls import include, path

urlpatterns = [
    path("", include("opencsc.core.urls")),
    path("accounts/", include("opencsc.accounts.urls")),
    path("sso/", include("opencsc.sso.urls")),
    path("", include("opencsc.jobs.urls")),
    path("children/", include("opencsc.people.urls")),
    path("children/", include("opencsc.casework.urls")),
    path("children/", include("opencsc.assessment.urls")),
    path("children/", include("opencsc.protection.urls")),
    path("timescales/", include("opencsc.timescales.urls")),
    # Areas of the service: each app's paths start with "children/<int:child_id>/<area>/" for pages
    # of a child's record, or with "<area>/" for its own pages (see docs/architecture.md).
    path("", include("opencsc.frontdoor.urls")),
    path("", include("opencsc.earlyhelp.urls")),
    path("", include("opencsc.edt.urls")),
    path("", include("opencsc.care.urls")),
    path("", include("opencsc.wellbeing.urls")),
    path("", include("opencsc.missing.urls")),
    path("", include("opencsc.adoption.urls")),
    path("", include("opencsc.careleavers.urls")),
    path("", include("opencsc.otherduties.urls")),
    path("", include("opencsc.workforce.urls")),
    path("", include("opencsc.quality.urls")),
    path("", include("opencsc.performance.urls")),
    path("", include("opencsc.returns.urls")),
    path("", include("opencsc.inspection.urls")),
]
