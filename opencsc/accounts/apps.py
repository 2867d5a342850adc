from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencsc.accounts"
    label = "accounts"
    verbose_name = "Accounts, teams and roles"
