"""App config for scenarios."""

from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    """The scenarios app."""

    name = "scenarist.scenarios"
    label = "scenarios"
