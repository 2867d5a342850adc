from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opencsc.people"
    label = "people"
    verbose_name = "Children, families and professionals"
