"""ASGI entry point, used for the Server-Sent Event streams (uvicorn/gunicorn with an ASGI worker)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vikno.settings.dev")
application = get_asgi_application()
