"""App config for catalog."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The catalog app."""

    name = "scenarist.catalog"
    label = "catalog"
