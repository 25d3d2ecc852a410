"""App config for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Projects and API keys."""

    name = "scenarist.accounts"
    label = "accounts"
