"""WSGI entry point, used by gunicorn in the production profile."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings")

application = get_wsgi_application()
