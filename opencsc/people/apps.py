from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class PeopleConfig(AppConfig):
    name = "opencsc.people"
    label = "people"
    verbose_name = "Children, families and professionals"

    def ready(self):
        register(NavItem("Find a child", "people:search", permission=policy.may_search, order=10,
                         group="children", description="Search by name, date of birth, postcode or ID, and add a child.",
                         search=("q", "Name, NHS number, UPN or LA child ID")))
