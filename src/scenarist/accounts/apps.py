"""App config for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Projects and API keys."""

    name = "scenarist.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Register the OpenAPI description of our authentication."""
        from . import schema  # noqa: F401
