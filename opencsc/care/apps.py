from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "opencsc.care"
    label = "care"
    verbose_name = "Children in care: periods of care, episodes, placements, care plans, reviews and visits"
