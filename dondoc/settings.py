"""Settings read from the environment. The embedded default (SQLite, no Redis) needs no variable."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from dondoc.core.dbsessions import postgres_options

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    return default if value == "" else value.lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name, "")
    return default if value == "" else int(value)


DATA_DIR = Path(env("DONDOC_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = envbool("DEBUG", False)
DEMO = envbool("DONDOC_DEMO", True)


def generated_key(name: str, file_name: str) -> str:
    """A secret from the environment (NAME or NAME_FILE), else one kept in the data folder:
    the embedded default generates it once, so it survives restarts."""
    value = env(name, "")
    if value:
        return value
    key_file = DATA_DIR / file_name
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    from django.core.management.utils import get_random_secret_key

    value = get_random_secret_key()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file.write_text(value, encoding="utf-8")
    key_file.chmod(0o600)
    return value


SECRET_KEY = generated_key("SECRET_KEY", "secret_key")
# The audit chain's HMAC key and its anchors live outside the database (docs/operations.md).
AUDIT_KEY = generated_key("AUDIT_KEY", "audit_key")
AUDIT_ANCHOR_FILE = Path(env("AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.jsonl")))

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "dondoc.core",
    "dondoc.agencies",
    "dondoc.accounts",
    "dondoc.audit",
    "dondoc.tracking",
    "dondoc.api",
    "dondoc.urging",
    "dondoc.reviews",
    "dondoc.forecast",
    "dondoc.dashboards",
    "dondoc.programs",
    "dondoc.congress",
    "dondoc.consultation",
    "dondoc.home",
    "dondoc.demo",
    "dondoc.bench",
]

MIDDLEWARE = [
    "dondoc.core.dbdown.DatabaseDownMiddleware",  # outermost: a 5xx while the DB is down -> 503
    "dondoc.core.urllimit.UrlLengthLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dondoc.core.access.DenyByDefaultMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dondoc.urls"
WSGI_APPLICATION = "dondoc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dondoc.home.context_processors.navigation",
                "dondoc.urging.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dondoc.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pg_stat_activity names the process kind (web, worker, beat, cli, test) and pid of every
    # session, and the server ends sessions idle that long (dondoc/core/dbsessions.py).
    DATABASES["default"]["OPTIONS"] = postgres_options(envint("DB_IDLE_SESSION_SECONDS", 300))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: five failures for one username lock it for 15 minutes.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", 15) / 60
# Lock a username *from one address*: the staff of an office sign in from one shared address,
# so locking by address alone would let one mistyped password lock out a whole agency, and
# locking by username alone would let anyone lock `admin` out. Password spraying from one
# address is stopped by LOGIN_ADDRESS_RATE below (dondoc/core/ratelimits.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed sign-ins (web and API token) per client address before a 429: many users, one address.
LOGIN_ADDRESS_RATE = env("LOGIN_ADDRESS_RATE", "30/15m")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dondoc.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "dondoc"

SESSION_COOKIE_AGE = envint("SESSION_MINUTES", 8 * 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = envbool("DONDOC_SECURE", not DEBUG and not DEMO)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors and load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts and styles only from our own static files (no inline script,
# no eval: htmx runs with allowEval false, see base.html). Style *attributes* stay allowed for
# the progress bars' widths; <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Longer URLs are answered 414 before any view runs (dondoc/core/urllimit.py).
MAX_URL_LENGTH = envint("MAX_URL_LENGTH", 16384)
CSRF_FAILURE_VIEW = "dondoc.core.errors.csrf_failure"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Outside the web root: uploaded files are served only through views that check access.
MEDIA_ROOT = DATA_DIR / "files"
ATTACHMENT_MAX_MB = envint("ATTACHMENT_MAX_MB", 20)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "dondoc <dondoc@localhost>")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")  # where links in e-mails point

# Background jobs: Celery on Redis in production; without REDIS_URL an in-process worker
# started by `dondoc serve` takes jobs from a broker kept in the data folder.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "dondocfs://"  # dondoc/core/broker.py: acks survive a crash
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(DATA_DIR / "queue"),
        "data_folder_out": str(DATA_DIR / "queue"),
        "processed_folder": str(DATA_DIR / "queue-done"),
        "control_folder": str(DATA_DIR / "queue-control"),
        "unacked_folder": str(DATA_DIR / "queue-unacked"),
        "store_processed": False,
    }
)
if not REDIS_URL:
    for _folder in ("queue", "queue-done", "queue-control", "queue-unacked"):
        (DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "dondoc")  # several deployments may share a Redis

# Caches. "default" is per process: figures that are cheap to compute again. "shared" holds what
# every web process must agree on — sign-in failures per address (core/ratelimits.py), the public
# consultation page's limits: Redis when REDIS_URL is set, else the table `dondoc_cache`
# (created by migration core/0003), whose counters are incremented atomically (core/cache.py).
# axes keeps its counts in the database already.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", CELERY_TASK_DEFAULT_QUEUE),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "dondoc.core.cache.DatabaseCache", "LOCATION": "dondoc_cache"}
    ),
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Jobs queued once each time `dondoc serve` starts, not waiting for their first scheduled time:
# the forecast trains on a first start (a no-op when its model is fresh); task events left unsent
# by a process that died are dispatched.
JOBS_AT_START = [
    "dondoc.forecast.tasks.forecast_catch_up_task",
    "dondoc.tracking.tasks.task_events_sweep_task",
]
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
# The worker's heartbeat (core/heartbeat.py) and /healthz's limit on its age, in seconds.
HEARTBEAT_SECONDS = envint("HEARTBEAT_SECONDS", 10)
HEARTBEAT_MAX_AGE = envint("HEARTBEAT_MAX_AGE", 60)
HEALTH_CHECK_WORKER = envbool("HEALTH_CHECK_WORKER", True)  # off for `serve --no-jobs`

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 4xx is the client's mistake, not ours: no traceback in the error log for it.
    "filters": {"no_client_errors": {"()": "dondoc.core.errors.SkipClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_client_errors"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Tasks "sắp đến hạn" (due soon) when the deadline is at most this many days away.
DUE_SOON_DAYS = envint("DUE_SOON_DAYS", 7)

# Dashboard and overview figures are cached per audience, day and figures' version
# (dondoc/tracking/figures.py): a change to the tasks makes them be computed again at once.
FIGURES_CACHE = envbool("FIGURES_CACHE", True)
FIGURES_CACHE_SECONDS = envint("FIGURES_CACHE_SECONDS", 6 * 60 * 60)

# Programs: the working days a comment round leaves the invited agencies at least; who decides a
# body's rescheduling requests ("bbt=office,bct=leader"; leaders when empty, programs/access.py).
PROGRAMS_COMMENT_MIN_WORKING_DAYS = envint("PROGRAMS_COMMENT_MIN_WORKING_DAYS", 5)
PROGRAMS_RESCHEDULE_AUTHORITY = env("PROGRAMS_RESCHEDULE_AUTHORITY")

# Consultation's public page (consultation/intake.py): the proof of work's leading zero hex
# digits, and comments per hour per address and per device.
CONSULTATION_POW_DIGITS = envint("CONSULTATION_POW_DIGITS", 4)
CONSULTATION_PUBLIC_PER_HOUR = envint("CONSULTATION_PUBLIC_PER_HOUR", 30)

# Consultation: days after a draft's last round closes before commenters' identities (names,
# phones, ID numbers, e-mail, addresses) and the imported files holding them are erased.
CONSULTATION_IDENTITY_RETENTION_DAYS = envint("CONSULTATION_IDENTITY_RETENTION_DAYS", 90)
# Congress: days after a congress closes before the personal data of its people is erased:
# delegates' profiles (birth year, gender, ethnicity, education, position, Party joining year),
# their need of an accessible seat and account links; guests' and journalists' names, press card
# numbers and refusal reasons (docs/personal-data.md, "Retention of congress data").
CONGRESS_PERSONAL_DATA_RETENTION_DAYS = envint("CONGRESS_PERSONAL_DATA_RETENTION_DAYS", 180)
# Consultation: minutes without progress (a stage, a section, a chunk claimed) after which a
# synthesis run still going is reported as stuck (its jobs may have died) on the synthesis page
# and /healthz (degraded), where the office can resume or cancel it.
CONSULTATION_RUN_STUCK_MINUTES = envint("CONSULTATION_RUN_STUCK_MINUTES", 120)

# Forecast: days after its training when the model counts as stale (the dashboard says so and
# the hourly catch-up trains again; the weekly run keeps it fresh).
FORECAST_STALE_DAYS = envint("FORECAST_STALE_DAYS", 8)

CELERY_BEAT_SCHEDULE = {
    "accounts-clear-sessions-daily": {  # expired sessions out of django_session (clearsessions)
        "task": "dondoc.accounts.tasks.sessions_clear_expired_task",
        "schedule": crontab(hour=3, minute=5),
        "options": {"expires": 6 * 60 * 60},
    },
    "congress-erase-personal-data-daily": {
        "task": "dondoc.congress.tasks.personal_data_erase_due_task",
        "schedule": crontab(hour=3, minute=25),
        "options": {"expires": 6 * 60 * 60},
    },
    "consultation-erase-identities-daily": {
        "task": "dondoc.consultation.tasks.identities_erase_due_task",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 6 * 60 * 60},
    },
    "consultation-absorb-hourly": {  # comments that came since the last run, into its themes
        "task": "dondoc.consultation.tasks.comments_absorb_due_task",
        "schedule": crontab(minute=40),
        "options": {"expires": 55 * 60},
    },
    "consultation-synthesis-reap": {  # chunks whose worker or message was lost, sent again
        "task": "dondoc.consultation.tasks.synthesis_reap_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "audit-anchor-hourly": {
        "task": "dondoc.audit.tasks.audit_anchor_task",
        "schedule": crontab(minute=7),
        "options": {"expires": 55 * 60},
    },
    "audit-verify-nightly": {
        "task": "dondoc.audit.tasks.audit_verify_task",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "urging-reminder-sweep-hourly": {
        "task": "dondoc.urging.tasks.reminder_sweep_task",
        "schedule": crontab(minute=0),
        "options": {"expires": 55 * 60},
    },
    "urging-deliver-outbox": {
        "task": "dondoc.urging.tasks.deliver_outbox_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "tracking-events-sweep": {  # task events whose process died before their handlers ran
        "task": "dondoc.tracking.tasks.task_events_sweep_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "urging-daily-digest": {
        "task": "dondoc.urging.tasks.daily_digest_task",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    "programs-remind-invitations": {
        "task": "dondoc.programs.tasks.remind_invitations_task",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    "tracking-tallies-rebuild-daily": {
        "task": "dondoc.tracking.tasks.tallies_rebuild_task",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 6 * 60 * 60},
    },
    "forecast-retrain-weekly": {
        "task": "dondoc.forecast.tasks.forecast_retrain_task",
        "schedule": crontab(hour=3, minute=15, day_of_week=1),
        "options": {"expires": 24 * 60 * 60},
    },
    "forecast-catch-up-hourly": {  # trains at once when the model is missing or stale
        "task": "dondoc.forecast.tasks.forecast_catch_up_task",
        "schedule": crontab(minute=40),
        "options": {"expires": 55 * 60},
    },
}
