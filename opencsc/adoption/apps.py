from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "opencsc.adoption"
    label = "adoption"
    verbose_name = "Adoption, special guardianship and adopters"
