"""App config of the workspace pages."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The web workspace."""

    name = "scenarist.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"
