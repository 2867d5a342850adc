from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "opencsc.inspection"
    label = "inspection"
    verbose_name = "Inspection action plans"
