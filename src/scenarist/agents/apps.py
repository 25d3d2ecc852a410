"""App config for agents."""

from django.apps import AppConfig


class AgentsConfig(AppConfig):
    """The agents app."""

    name = "scenarist.agents"
    label = "agents"
