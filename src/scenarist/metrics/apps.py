"""App config for metrics."""

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """The metrics app."""

    name = "scenarist.metrics"
    label = "metrics"

    def ready(self) -> None:
        """Connect the receiver that seeds default metrics into new projects."""
        from . import signals  # noqa: F401
