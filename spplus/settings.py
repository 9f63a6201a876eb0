"""Settings, read only from the environment (django-environ); the defaults run with nothing installed."""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# The default key only serves development: production sets SECRET_KEY, and check --deploy rejects this one.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-spplus-development-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "mptt",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_ratelimit",
    "axes",
    "csp",
    "accounts",
    "structures",
    "actions",
    "transparency",
    "content",
    "panel",
    "experiences",
    "dashboards",
    "diagnostics",
    "opendata",
    "resources",
    "promotion",
    "simplification",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files need no policy of their own.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses sign-ins from an address after too many failures on any accounts (password spraying).
    "accounts.signin_limit.SignInAddressLimitMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: it turns a lock-out flagged during the request into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spplus.urls"
WSGI_APPLICATION = "spplus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection the database cut meanwhile (restart, failover, idle timeout) is replaced at the next
# request instead of failing it with a 500: one cheap check per request, before its first query.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT costs 7–94 ms per query on our hot pages for no gain (DESIGN.md, performance facts).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A dead database must fail /healthz in seconds, not hang a worker.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite, for development only, builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The same for the dashboard rollup's covering unique constraint: SQLite skips it, and the rollup is
# never built there (dashboards/services/rollup.py).
SILENCED_SYSTEM_CHECKS += ["models.W039"]
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out e-mail before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # DITP moderators get their admin permissions from their flag (accounts/backends.py).
    "accounts.backends.ModeratorPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Agents sign in on their own page; the admin keeps its own login page for moderators.
LOGIN_URL = "agents:login"
LOGIN_REDIRECT_URL = "agents:home"
# seed 003: the reset link sent by e-mail is valid 24 hours.
PASSWORD_RESET_TIMEOUT = 24 * 3600

# An agent's session lasts at most a working day: it ends 8 hours after sign-in (or the session's last
# change) and when the browser closes, whichever comes first. Public visitors' sessions, which only
# count their « moi aussi » and votes once, follow the same rule.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out after failed sign-ins (django-axes), on /agents/connexion/ and /admin/login/ alike: both post
# the e-mail as `username`. The counter is per e-mail address alone, whatever the client's address, so
# spreading guesses over many IP addresses does not help; per IP address it would lock out a whole
# ministry behind one proxy. Someone who knows an agent's address can lock them out for 30 minutes:
# resetting the password by e-mail lifts the lock (accounts/services.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 fears attackers rotating User-Agents or cookies: neither changes a count kept per e-mail address.
SILENCED_SYSTEM_CHECKS += ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# Logins ignore the e-mail's case (accounts/models.py), so must the counter, or each spelling gets 5 tries.
AXES_USERNAME_CALLABLE = "accounts.services.login_attempt_username"
AXES_CLIENT_IP_CALLABLE = "accounts.services.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "agents/auth/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Only failed attempts are kept, deleted on success or by a sign-in once they are 30 minutes old; no log of
# every sign-in.
AXES_DISABLE_ACCESS_LOG = True
# django-axes counts per account; this counts per client address across accounts, so one address
# cannot try a common password on many accounts (accounts/signin_limit.py). Generous, as a ministry's
# agents may share one proxy.
SIGNIN_FAILURES_PER_ADDRESS = env("SIGNIN_FAILURES_PER_ADDRESS", default="30/30m")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# An environment variable so that a test can collect the production files into a folder of its own.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# In development the files come from the apps' folders; var/static exists only after collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files citizens send (complex documents) live outside MEDIA_ROOT: no URL serves them, only a checked view.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# No Subresource Integrity on DSFR's files: the manifest storage rewrites the url(…) references inside
# dsfr.min.css and utility.min.css, so the hashes django-dsfr ships no longer match the served bytes and
# browsers refuse the stylesheets. SRI guards against a third-party host altering a file; ours come from
# our own origin and image, alongside the page that names them (whoever could alter one could alter both).
# Keeping the rewrite keeps the fonts and icons under hashed, cached-forever URLs.
DSFR_USE_INTEGRITY_CHECKSUMS = False

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage degrades to cache misses and open rate limits instead of 500s (spplus/cache.py).
            "BACKEND": "spplus.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

RATELIMIT_VIEW = "common.ratelimit.too_many_requests"
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
# While the cache is unreachable its counters cannot be read: let the request through rather than refuse it.
RATELIMIT_FAIL_OPEN = True
# Django's own RedisCache increments atomically (INCR), which is all django-ratelimit needs; it only
# lists django-redis as "officially supported".
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]
if not REDIS_URL:
    # Development only: the local-memory cache counts per process, which is enough for one runserver.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis, tasks run in the web process so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Redis hands an unacknowledged task out again after this delay; an e-mail retry scheduled up to an
# hour ahead (notifications.services.backoff) must not be duplicated meanwhile.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# A worker serves one queue; a test that starts a real worker gives it a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
# Every periodic job, in one place (django-celery-beat copies them into its tables at start).
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
    "daily-unanswered-digest": {
        "task": "experiences.send_unanswered_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    # Response-time targets: what passed its target since the last run, however long ago that was.
    "send-breach-alerts": {"task": "experiences.send_breach_alerts", "schedule": 300.0},
    # Dashboard files live 24 hours in the storage; stale exports of dead workers are failed too.
    "purge-dashboard-exports": {"task": "experiences.purge_dashboard_exports", "schedule": crontab(minute=17)},
    "purge-diagnostic-exports": {"task": "diagnostics.purge_exports", "schedule": crontab(minute=23)},
    # The dashboard's daily rollup: the recent days every 10 minutes, every day at night (answers,
    # evaluations and tags keep changing older days); the current day is always live.
    "refresh-dashboard-rollup": {"task": "experiences.refresh_dashboard_rollup", "schedule": 600.0},
    "rebuild-dashboard-rollup": {
        "task": "experiences.refresh_dashboard_rollup",
        "schedule": crontab(hour=2, minute=40),
        "kwargs": {"full": True},
    },
    # The public figures of large subtrees (network roots), counted again before they expire: no visitor
    # waits for them (experiences/services/public_figures.py; keep in step with its REFRESH_SECONDS).
    "refresh-large-structure-figures": {"task": "experiences.refresh_large_structure_figures", "schedule": 300.0},
    # The public scorecards of networks and large subtrees (issue 20), counted again before they expire.
    "refresh-public-scorecards": {"task": "dashboards.refresh_public_scorecards", "schedule": 600.0},
    # The five open-data files, every night, after the dashboard's rebuild.
    "generate-open-data": {"task": "opendata.generate_files", "schedule": crontab(hour=3, minute=30)},
    # The tester panel's retention: unconfirmed sign-ups after 48 hours, profiles idle for 24 months.
    "purge-unconfirmed-panellists": {"task": "panel.purge_unconfirmed", "schedule": crontab(minute=41)},
    "purge-inactive-panellists": {"task": "panel.purge_inactive", "schedule": crontab(hour=4, minute=10)},
}

EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Without SMTP, every e-mail is a file under var/mail/ that a demo user can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Services Publics+ <ne-pas-repondre@spplus.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Services Publics+",
    "DESCRIPTION": "Les référentiels ouverts de Services Publics+ : structures, typologies, expériences.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the site (drf-spectacular-sidecar), not a CDN: the documentation works
    # without internet access and sends visitors' requests nowhere else.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from swagger.io's online validator (an image fetched from there for every visitor).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Every operation documents its 400, 404 and 429 answers (schemathesis checks each status is documented),
    # and pagination fields and path parameters get French descriptions.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.openapi.document_error_responses",
        "common.openapi.describe_in_french",
    ],
}

# Content-Security-Policy (django-csp): scripts only from our own origin, so an injected <script> or
# onclick="…" never runs. Every page's scripts are files (DSFR, the admin and its select2, share.js); the
# charts' SVG has its inline script removed (dashboards/charts.py). Styles stay allowed inline: pygal's SVG
# carries a <style> and style attributes, and DSFR's and the admin's scripts set style attributes; an injected
# style can restyle a page but runs no code. data: images are DSFR's inline SVG icons. No other host at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A dashboard PDF makes WeasyPrint warn ~500 times about DSFR's CSS and fontTools log every font
        # subset: noise that would bury the application's own lines.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
