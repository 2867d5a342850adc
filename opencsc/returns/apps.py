from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "opencsc.returns"
    label = "returns"
    verbose_name = "Statutory returns: CIN census, SSDA903 and Ofsted Annex A"
