from django.apps import AppConfig


class EarlyhelpConfig(AppConfig):
    name = "opencsc.earlyhelp"
    label = "earlyhelp"
    verbose_name = "Early help: assessments, team around the family, plans, reviews, step-up and step-down"
