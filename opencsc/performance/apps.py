from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "opencsc.performance"
    label = "performance"
    verbose_name = "Performance indicators and scorecards"
