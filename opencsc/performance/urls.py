from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.scorecard, name="scorecard"),
    path("performance/indicators/<slug:key>/", views.indicator_detail, name="indicator"),
    path("performance/indicators/<slug:key>/children/", views.drilldown, name="drilldown"),
    path("performance/indicators/<slug:key>/commentary/", views.commentary_add, name="commentary_add"),
    path("performance/snapshot/", views.snapshot_start, name="snapshot_start"),
    path("performance/targets/", views.targets, name="targets"),
    path("performance/targets/<slug:key>/", views.target_edit, name="target_edit"),
    path("performance/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("performance/export.pdf", views.export_pdf, name="export_pdf"),
]
