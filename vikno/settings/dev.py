"""Local development and the demo (`make run`)."""

from vikno.conf import env

from .base import *

DEBUG = env("VIKNO_DEBUG", True, "Django debug mode. Never true in production.")
DEMO_MODE = env(
    "VIKNO_DEMO_MODE",
    True,
    "Demo installation: allows the demo accounts to skip MFA. Off in production.",
    group="Security",
)
