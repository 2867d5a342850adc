from django.urls import path
from django.views.generic import TemplateView

app_name = "casework"
urlpatterns = [
    path("<int:child_id>/notes/<int:note_id>/", TemplateView.as_view(), name="note_detail"),
    path("<int:child_id>/documents/<int:document_id>/", TemplateView.as_view(), name="document_download"),
]
