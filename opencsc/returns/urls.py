from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("returns/", views.home, name="home"),
    path("returns/make/", views.make, name="make"),
    path("returns/history/", views.history, name="history"),
    path("returns/<int:run_id>/files/<int:file_id>/", views.download, name="download"),
    path("returns/<int:run_id>/validation/", views.report, name="report"),
    path("returns/<int:run_id>/validation.csv", views.report_csv, name="report_csv"),
]
