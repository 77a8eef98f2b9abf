"""Settings, read from environment variables with typed defaults.

SQLite under ``COMMONHOME_DATA_DIR`` is the default; ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("COMMONHOME_DATA_DIR", "var")).resolve()

DEBUG = env_bool("COMMONHOME_DEBUG", False)
SECRET_KEY = os.environ.get("COMMONHOME_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key; production deployments must set COMMONHOME_SECRET_KEY.
    SECRET_KEY = "dev-only-" + "insecure-" * 4
ALLOWED_HOSTS = env_list("COMMONHOME_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("COMMONHOME_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "commonhome.core",
    "commonhome.web",
    "commonhome.directory",
    "commonhome.participation",
    "commonhome.matching",
    "commonhome.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonhome.urls"
WSGI_APPLICATION = "commonhome.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonhome.web.context.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "commonhome.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "directory:staff-home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("COMMONHOME_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Languages of the interface. Django lacks some languages newcomers speak; they are registered
# here so that content can be written and labelled in them.
# Names are marked with gettext_noop so that the interface catalogues translate them.
EXTRA_LANG_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": gettext_noop("Pashto"), "name_local": "پښتو"},
    "prs": {"bidi": True, "code": "prs", "name": gettext_noop("Dari"), "name_local": "دری"},
    "ti": {"bidi": False, "code": "ti", "name": gettext_noop("Tigrinya"), "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": gettext_noop("Somali"), "name_local": "Soomaali"},
    "ku": {"bidi": False, "code": "ku", "name": gettext_noop("Kurdish"), "name_local": "Kurdî"},
}
for _code, _info in EXTRA_LANG_INFO.items():
    LANG_INFO.setdefault(_code, _info)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("uk", _("Ukrainian")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur", "ps", "prs"]
# Languages content may be written or translated in (interface languages and more).
CONTENT_LANGUAGES = [code for code, _name in LANGUAGES] + [
    "ps",
    "prs",
    "ti",
    "so",
    "ur",
    "pl",
    "ro",
    "pa",
    "ku",
    "zh-hans",
    "pt",
    "it",
    "de",
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "commonhome_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Leaflet comes from the xstatic-leaflet package: no CDN and no vendored copy in the repository.
STATICFILES_DIRS = [("leaflet", xstatic_leaflet.BASE_DIR)]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Map tiles come from a configurable URL; an empty value draws the map without tiles.
MAP_TILE_URL = os.environ.get(
    "COMMONHOME_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "COMMONHOME_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors"
)
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Machine translation: off unless an operator configures a provider.
MACHINE_TRANSLATION_PROVIDER = os.environ.get("COMMONHOME_MT_PROVIDER", "")
MACHINE_TRANSLATION_URL = os.environ.get("COMMONHOME_MT_URL", "")
MACHINE_TRANSLATION_KEY = os.environ.get("COMMONHOME_MT_KEY", "")

# Address geocoding for "near" searches: a Nominatim-compatible server, off unless set.
GEOCODER_URL = os.environ.get("COMMONHOME_GEOCODER_URL", "")

EMAIL_BACKEND = os.environ.get(
    "COMMONHOME_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("COMMONHOME_FROM_EMAIL", "noreply@commonhome.invalid")
# Where the file-based e-mail backend (the demo's) writes messages.
EMAIL_FILE_PATH = os.environ.get("COMMONHOME_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "COMMONHOME_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

CACHES = {
    "default": {
        # Per process; set REDIS_URL to share one cache between workers and hosts. Rendered
        # HSDS documents are one entry per service, language and shape: room for a large city.
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "commonhome",
        "OPTIONS": {"MAX_ENTRIES": env_int("COMMONHOME_CACHE_ENTRIES", 30000)},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Anonymous suggestions: how many one client may send per hour.
SUGGESTION_RATE_PER_HOUR = env_int("COMMONHOME_SUGGESTION_RATE_PER_HOUR", 20)
# Absolute address of the site (e.g. https://welcome.example.org), for links in e-mails.
SITE_URL = os.environ.get("COMMONHOME_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"commonhome": {"handlers": ["console"], "level": "INFO"}},
}
