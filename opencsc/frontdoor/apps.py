from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "opencsc.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door and MASH: contacts, screening, decisions and information requests"
