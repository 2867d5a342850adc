from django.apps import AppConfig


class OtherdutiesConfig(AppConfig):
    name = "opencsc.otherduties"
    label = "otherduties"
    verbose_name = "Other duties: private fostering, LADO allegations and care proceedings"
