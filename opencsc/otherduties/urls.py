from django.urls import path

from . import views

app_name = "otherduties"

CHILD = "children/<int:child_id>/other-duties/"

urlpatterns = [
    path(CHILD, views.overview, name="overview"),
    path(f"{CHILD}private-fostering/add/", views.private_fostering_add, name="private_fostering_add"),
    path(f"{CHILD}private-fostering/<int:arrangement_id>/visit/", views.private_fostering_visit,
         name="private_fostering_visit"),
    path(f"{CHILD}private-fostering/<int:arrangement_id>/end/", views.private_fostering_end,
         name="private_fostering_end"),
    path(f"{CHILD}proceedings/add/", views.proceedings_add, name="proceedings_add"),
    path(f"{CHILD}proceedings/<int:proceedings_id>/hearing/", views.hearing_add, name="hearing_add"),
    path(f"{CHILD}proceedings/<int:proceedings_id>/extension/", views.extension_add, name="extension_add"),
    path(f"{CHILD}proceedings/<int:proceedings_id>/final-order/", views.final_order, name="final_order"),
    path("other-duties/proceedings/", views.proceedings_list, name="proceedings_list"),
    path("other-duties/private-fostering/", views.private_fostering_list, name="private_fostering_list"),
    path("other-duties/lado/", views.lado_list, name="lado_list"),
    path("other-duties/lado/add/", views.lado_add, name="lado_add"),
    path("other-duties/lado/<int:allegation_id>/", views.lado_detail, name="lado_detail"),
    path("other-duties/lado/<int:allegation_id>/meeting/", views.lado_meeting_add, name="lado_meeting_add"),
    path("other-duties/lado/<int:allegation_id>/outcome/", views.lado_outcome, name="lado_outcome"),
]
