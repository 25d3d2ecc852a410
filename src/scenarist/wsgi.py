"""WSGI entry point for gunicorn and `scenarist web`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scenarist.settings")
application = get_wsgi_application()
