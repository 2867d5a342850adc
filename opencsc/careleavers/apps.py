from django.apps import AppConfig


class CareleaversConfig(AppConfig):
    name = "opencsc.careleavers"
    label = "careleavers"
    verbose_name = "Care leavers: eligibility, personal advisers and pathway plans"
