"""App config for jobs."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The jobs app."""

    name = "scenarist.jobs"
    label = "jobs"
