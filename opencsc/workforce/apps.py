from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "opencsc.workforce"
    label = "workforce"
    verbose_name = "Workforce: allocation, caseloads and supervision"
