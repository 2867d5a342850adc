from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "opencsc.wellbeing"
    label = "wellbeing"
    verbose_name = "Health, education, contact and rights of children in care"
