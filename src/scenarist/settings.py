"""The one settings module: every tunable is read from the environment here."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def _env_int(name: str, default: int) -> int:
    """Read an integer environment variable, falling back to the default."""
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _env_float(name: str, default: float) -> float:
    """Read a float environment variable, falling back to the default."""
    raw = os.environ.get(name, "")
    return float(raw) if raw.strip() else default


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SCENARIST_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SCENARIST_SECRET_KEY", "scenarist-insecure-dev-key-change-me")
DEBUG = os.environ.get("SCENARIST_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SCENARIST_ALLOWED_HOSTS", "*").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "django_htmx",
    "scenarist.accounts",
    "scenarist.agents",
    "scenarist.catalog",
    "scenarist.metrics",
    "scenarist.scenarios",
    "scenarist.jobs",
    "scenarist.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scenarist.common.routing.CanonicalPathMiddleware",  # slash-optional, -external/v2 aliases, JSON 404
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "scenarist.urls"
WSGI_APPLICATION = "scenarist.wsgi.application"
APPEND_SLASH = False  # never redirect: CanonicalPathMiddleware serves both spellings

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Database: SQLite under ./data by default, PostgreSQL (or any dj-database-url) via SCENARIST_DATABASE_URL.
DATABASE_URL = os.environ.get("SCENARIST_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"]["TEST"] = {"NAME": f"test_scenarist_{os.getpid()}"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # SCENARIST_SQLITE_PATH lets worker/web subprocesses (tests, benchmarks) share one file with these options.
            "NAME": os.environ.get("SCENARIST_SQLITE_PATH") or str(DATA_DIR / "scenarist.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on busy_timeout
                # instead of failing with "database is locked" when a read lock is upgraded.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            },
            # A file (not :memory:) so that worker subprocesses started by tests see the same data.
            "TEST": {"NAME": str(DATA_DIR / f"test_scenarist_{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Queue: SqliteHuey under ./data by default, RedisHuey via SCENARIST_QUEUE_URL=redis://...
QUEUE_URL = os.environ.get("SCENARIST_QUEUE_URL", "")
HUEY_NAME = os.environ.get("SCENARIST_QUEUE_NAME", "scenarist")
if QUEUE_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": HUEY_NAME, "url": QUEUE_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": os.environ.get("SCENARIST_QUEUE_FILE", str(DATA_DIR / "queue.sqlite3")),
        "immediate": False,
    }

# --- Jobs
JOB_HEARTBEAT_S = _env_float("SCENARIST_JOB_HEARTBEAT_S", 2.0)
JOB_STALE_AFTER_S = _env_float("SCENARIST_JOB_STALE_AFTER_S", 15.0)
JOB_MAX_ATTEMPTS = _env_int("SCENARIST_JOB_MAX_ATTEMPTS", 3)
WORKER_THREADS = _env_int("SCENARIST_WORKER_THREADS", 4)
JOB_REAPER_INTERVAL_S = _env_float("SCENARIST_JOB_REAPER_INTERVAL_S", 5.0)
# PostgreSQL ends a worker transaction idle this long (a frozen worker), freeing its row locks.
JOB_IDLE_TX_TIMEOUT_S = _env_float("SCENARIST_JOB_IDLE_TX_TIMEOUT_S", 5.0)
JOB_REENQUEUE_AFTER_S = _env_float("SCENARIST_JOB_REENQUEUE_AFTER_S", 300.0)  # queued that long → send its message again

# --- LLM provider: read by scenarist.llm.config (Django-free, so the generation library can use it too).
SYNC_CLEAN_DESCRIPTION_TIMEOUT_S = _env_float("SCENARIST_SYNC_TIMEOUT_S", 60.0)

# --- Uploads
KB_MAX_FILE_BYTES = _env_int("SCENARIST_KB_MAX_FILE_BYTES", 50 * 1024 * 1024)
KB_MAX_EXTRACTED_CHARS = _env_int("SCENARIST_KB_MAX_EXTRACTED_CHARS", 5_000_000)
KB_MAX_PDF_PAGES = _env_int("SCENARIST_KB_MAX_PDF_PAGES", 2_000)
# 50 MB files as base64 JSON are ~67 MB on the wire.
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("SCENARIST_MAX_BODY_BYTES", 72 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- HTTP API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["scenarist.accounts.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["scenarist.accounts.auth.HasProject"],
    "DEFAULT_PARSER_CLASSES": [
        "scenarist.common.parsers.JSONParser",
        "scenarist.common.parsers.FormParser",
        "scenarist.common.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "scenarist.common.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "scenarist.common.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scenarist API",
    "DESCRIPTION": "Cekura-compatible API for generating test scenarios and clean metric descriptions.",
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "scenarist.catalog.languages.LANGUAGE_CODES"},
}

STATIC_URL = "static/"
# The docs page's assets (drf-spectacular-sidecar) are served by WhiteNoise straight from the installed
# packages, so /api/docs/ works offline with no collectstatic step and no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
STATIC_ROOT = str(DATA_DIR / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCENARIST_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "huey": {"level": "WARNING"}},
}
