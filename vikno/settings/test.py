"""The test suite: the same database engine as production, fast password hashing."""

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_MODE = False
REQUIRE_MFA = True
MEDIA_ROOT = VAR_DIR / "test-media"
