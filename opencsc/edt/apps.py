from django.apps import AppConfig


class EdtConfig(AppConfig):
    name = "opencsc.edt"
    label = "edt"
    verbose_name = "Out of hours (EDT): actions and decisions, and the day team's handover"
