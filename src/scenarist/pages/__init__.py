"""The web workspace: server-rendered pages (Django templates + htmx) over the same services as the API."""
