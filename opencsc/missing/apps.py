from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "opencsc.missing"
    label = "missing"
    verbose_name = "Missing children, return home interviews and exploitation"
