"""App config for metrics."""

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """The metrics app."""

    name = "scenarist.metrics"
    label = "metrics"
