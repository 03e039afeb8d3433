"""Alongside settings, read from the environment.

With nothing set, Alongside runs embedded: SQLite file, in-memory channel layer and cache.
`DATABASE_URL` switches to PostgreSQL (psycopg 3, pooled); `REDIS_URL` switches the channel layer and
cache to Redis. A bad value stops the process at start with a message naming the variable.
See `.env.example` for every variable.
"""

import importlib.util
import ipaddress
import os
import zoneinfo
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envnetworks(name: str, default: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (10.0.0.0/8), each checked at start."""
    items = envlist(name, default)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks, not {item!r}") from None
    return items


DEBUG = envbool("DJANGO_DEBUG", False)
SECRET_KEY = envstr("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if envbool("DJANGO_PRODUCTION", False):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # The embedded default is for a laptop and for tests; production sets its own key.
    SECRET_KEY = "embedded-default-not-for-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Behind a reverse proxy: the addresses or networks of our own proxies, whose X-Forwarded-For is believed
# (network.client_ip) for the audit trail's "from" and the per-address sign-in limits. Empty, the default:
# the header is ignored and the connecting address is the client's.
TRUSTED_PROXIES = envnetworks("ALONGSIDE_TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "daphne",
    "network.apps.AdminConfig",  # django.contrib.admin, signing in through allauth
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "network",
    "audit",
    "changes",
    "circles",
    "reminders",
    "referrals",
    "assessments",
    "sharing",
    "board",
    "realtime",
    "conferences",
    "portal",
    "overview",
    "interop",
    "reporting",
    "packs",
    "importing",
    "subject_access",
    "alongside",  # the wiring (settings, URLs, ASGI): listed so that `manage.py demo_data` is found here
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "network.outage.DatabaseOutageMiddleware",
    "network.middleware.MalformedSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network.middleware.TwoFactorRequiredMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "network.middleware.NoStoreMiddleware",  # nothing shown to a signed-in person is cached
]

ROOT_URLCONF = "alongside.urls"
ASGI_APPLICATION = "alongside.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "realtime.context_processors.notifications",
                "network.context_processors.site_name",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # While PostgreSQL is down a request waits this long for a connection, then gets a 503
        # (network.outage): short, so that requests fail fast rather than pile up behind the pool.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 1),
            "max_size": envint("DATABASE_POOL_MAX", 10),
            "timeout": envint("DATABASE_POOL_TIMEOUT", 3),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # A file, not memory, so that a test server in another process sees the same data.
            "TEST": {"NAME": str(BASE_DIR / f".test-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channel layer and cache: in memory by default, Redis when REDIS_URL is set.
REDIS_URL = envstr("REDIS_URL", "")
REDIS_SOCKET_TIMEOUT = envint("REDIS_SOCKET_TIMEOUT", 30)
REDIS_MAX_CONNECTIONS = envint("REDIS_MAX_CONNECTIONS", 1000)
REDIS_HEALTH_CHECK_SECONDS = envint("REDIS_HEALTH_CHECK_SECONDS", 15)
# Every key and channel name starts with this. When the test suite runs on several cores (pytest-xdist),
# each test process gets its own, as it gets its own test database: their ids overlap, their events must not.
REDIS_PREFIX = envstr("REDIS_PREFIX", "alongside") + os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL!r}")
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.backoff import ExponentialWithJitterBackoff
    from redis.retry import Retry

    # Redis (or a proxy, a firewall) closes idle connections, and restarts. A connection idle for longer
    # than the health-check interval is PINGed before use, and a command that meets a closed connection is
    # retried on a fresh one (3 times, 50 ms to 1 s apart) instead of dropping a doorbell. Connecting gives
    # up after 2 s, so a write's doorbell never holds it up for long while Redis is away (the outbox has
    # the event, and open pages find it on their next ping).
    REDIS_CONNECTION = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": 2,
        "health_check_interval": REDIS_HEALTH_CHECK_SECONDS,
        "max_connections": REDIS_MAX_CONNECTIONS,
    }
    _backoff = ExponentialWithJitterBackoff(base=0.05, cap=1)
    # Redis pub/sub: a doorbell is published once and every process with a subscriber hears it at once.
    # Delivery is at most once, as with any channel layer; the outbox (realtime.models.Event) and its
    # gap-free numbers are what make sure nothing is missed. Measured against channels-redis's list-based
    # layer (bench/realtime.py --alongside-layer): lower latency and less CPU per event (docs/performance.md).
    # redis-py's default socket timeout (5 s) would cut idle listeners off; its pool (100 connections)
    # would refuse a burst of sockets opening at once rather than queue them.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **REDIS_CONNECTION, "retry": AsyncRetry(_backoff, 3)}],
                "prefix": REDIS_PREFIX,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            "OPTIONS": {**REDIS_CONNECTION, "retry": Retry(_backoff, 3)},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "network.backends.ModelBackend",  # Django's and allauth's, reading the person with their organisation
    "network.backends.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if envbool("ALONGSIDE_FAST_PASSWORD_HASHER", False):
    # Tests and demo data only: hashing a few dozen passwords with PBKDF2 costs seconds.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-allauth: sign in with email and password; TOTP two-factor available from "Security".
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# The sign-in email changes only as the person proves it (allauth's "change email"): they type their password
# again, then a code sent to the new address; until then they sign in with the old one, which is then told.
# Verification by code keeps the new address out of the database until it is proved, so it can never be used
# to sign in (or to reset the password) before that; allauth allows it only with "mandatory" verification.
# The address an account is made with counts as checked (network.models.UserManager.create_user).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # for the email page; two-factor changes always ask
# Tell the person when their password, email address or two-factor sign-in changes (the old address, for email).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Clients and families sign in with a one-time code sent by email; a password is optional for them.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_ALLOW_REGISTRATION = False  # professional accounts are made by their agency, not by sign-up
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The name people see in emails, sign-in pages and their authenticator app.
SITE_NAME = envstr("ALONGSIDE_SITE_NAME", "Alongside")
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # our subjects name the site themselves (templates/account/email/)
MFA_TOTP_ISSUER = SITE_NAME
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "circles:my_clients"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Email: printed to the console in the embedded default; SMTP in production (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS); EMAIL_BACKEND names any other backend.
_email_backend = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if envbool("DJANGO_PRODUCTION", False)
    else "django.core.mail.backends.console.EmailBackend",
)
try:
    _email_module = importlib.util.find_spec(_email_backend.rpartition(".")[0])
except (ImportError, ValueError):
    _email_module = None
if _email_module is None:
    raise ImproperlyConfigured(f"EMAIL_BACKEND names a module that does not exist: {_email_backend!r}")
_smtp = {
    "host": envstr("EMAIL_HOST", "localhost"),
    "port": envint("EMAIL_PORT", 587),
    "username": envstr("EMAIL_HOST_USER", ""),
    "password": envstr("EMAIL_HOST_PASSWORD", ""),
    "use_tls": envbool("EMAIL_USE_TLS", True),
}
# The file backend (each email a file in EMAIL_FILE_PATH) is how the worker tests read what was sent.
_email_files = {"file_path": envstr("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))}
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": _email_backend,
            "OPTIONS": _smtp
            if _email_backend.endswith(".smtp.EmailBackend")
            else _email_files
            if _email_backend.endswith(".filebased.EmailBackend")
            else {},
        }
    }
else:  # Django 5.2 LTS, the fallback for machines without Python 3.12
    EMAIL_BACKEND = _email_backend
    EMAIL_FILE_PATH = _email_files["file_path"]
    EMAIL_HOST, EMAIL_PORT = _smtp["host"], _smtp["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS = (
        _smtp["username"],
        _smtp["password"],
        _smtp["use_tls"],
    )
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Alongside <no-reply@alongside.invalid>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "network.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["network.permissions.IsProfessional"],
    "DEFAULT_SCHEMA_CLASS": "network.api_schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "network.api.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "network.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alongside API",
    "DESCRIPTION": "Clients, their circles and notes. Same access rules as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for the professionals who may use the API. They hold nothing secret, but
    # they map every route and field an attacker could try; nobody else has a use for them.
    "SERVE_PERMISSIONS": ["network.permissions.IsProfessional"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's button (axe: nested-interactive); the docs do without.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A PATCH body is documented as the serializer the view validates it with (whose fields say what is
    # required), not as a copy with every field optional.
    "COMPONENT_SPLIT_PATCH": False,
    # The API is documented as JSON in, JSON out. (It also reads forms, which the browsable API sends.)
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "network.api_schema.any_of_where_variants_overlap",
        "network.api_schema.non_empty_bodies_are_required",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CircleRoleEnum": "circles.models.CircleMember.Role",
        "ProfessionalRoleEnum": "circles.forms.PROFESSIONAL_ROLES",
        "JoiningRoleEnum": "circles.api.JOINING_ROLES",
        "MemberKindEnum": "circles.models.CircleMember.Kind",
        "NoteKindEnum": "sharing.models.Note.Kind",
        "ActionStatusEnum": "sharing.models.Action.Status",
        "AttendanceStatusEnum": "conferences.models.Attendance.Status",
        "MeetingStatusEnum": "conferences.models.Meeting.Status",
        "AgendaItemStatusEnum": "conferences.models.AgendaItem.Status",
        "JoinRequestStatusEnum": "circles.models.JoinRequest.Status",
        "CardColumnEnum": "board.models.Column",
        "WorryKindEnum": "board.models.WorryKind",
        "CardVisibilityEnum": "board.models.Visibility",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "HandoverStatusEnum": "referrals.models.Handover.Status",
        "ReminderKindEnum": "reminders.api.professional_kinds",
        "StageEnum": "circles.models.Client.Stage",
        "ClientOutcomeEnum": "circles.models.Client.Outcome",
        "ClosingOutcomeEnum": "circles.api.CLOSING_OUTCOMES",
        "ReopeningStageEnum": "circles.api.REOPENING_STAGES",
        "ReferralOutcomeEnum": "referrals.models.Referral.Outcome",
        # One set of choices for who may read a note or an assessment (sharing.models.Note.Visibility is
        # this one): one name, or drf-spectacular finds two names for the same set.
        "VisibilityEnum": "circles.models.Visibility",
        "SubjectAccessStatusEnum": "subject_access.models.SubjectAccessExport.Status",
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = envstr("TIME_ZONE", "Europe/London")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be a time zone like Europe/London, not {TIME_ZONE!r}"
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# One daphne process serves its own static files in the embedded default; behind a proxy, set this false.
SERVE_STATIC = envbool("ALONGSIDE_SERVE_STATIC", True)

SESSION_COOKIE_HTTPONLY = True
# Idle sessions end: requests push the end back (at most once a SESSION_TOUCH_SECONDS, see
# network.middleware.IdleTimeoutMiddleware), so 30 minutes without one signs the person out.
SESSION_COOKIE_AGE = envint("ALONGSIDE_IDLE_SECONDS", 30 * 60)
SESSION_TOUCH_SECONDS = 60
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if envbool("DJANGO_PRODUCTION", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background work (reminders, digests, emails): Django's tasks framework on a database-backed queue
# (django-tasks-db), so there is no broker to run: the queue is a table in SQLite or PostgreSQL. Workers
# are their own processes (`manage.py db_worker`); several, on several machines, share one PostgreSQL.
# Django 5.2 LTS (the Python 3.11 fallback) has no django.tasks: the django-tasks backport reads the same
# setting there.
TASKS = {
    "default": {
        "BACKEND": envstr("ALONGSIDE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if django.VERSION < (6, 0):
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "django_tasks")

# Subject access exports (subject_access/): a finished export's ZIP is kept in its database row for this
# many days, then emptied.
SUBJECT_ACCESS_KEEP_DAYS = envint("ALONGSIDE_SUBJECT_ACCESS_KEEP_DAYS", 7)

# Reminders (reminders/): the daily scan runs from this hour (local time); a scan or an email claim
# whose worker has been silent this long is taken over by another worker.
SITE_URL = envstr("ALONGSIDE_SITE_URL", "http://127.0.0.1:8000")
REMINDERS_HOUR = envint("ALONGSIDE_REMINDERS_HOUR", 7)
REMINDERS_STALE_SECONDS = envint("ALONGSIDE_REMINDERS_STALE_SECONDS", 300)
REMINDERS_ACTION_DAYS = envint("ALONGSIDE_REMINDERS_ACTION_DAYS", 2)  # "due soon": within this many days
REMINDERS_LEAD_OVERDUE_DAYS = envint("ALONGSIDE_REMINDERS_LEAD_OVERDUE_DAYS", 7)  # then the lead hears too
REMINDERS_REVIEW_DAYS = envint("ALONGSIDE_REMINDERS_REVIEW_DAYS", 7)
REMINDERS_CONSENT_DAYS = envint("ALONGSIDE_REMINDERS_CONSENT_DAYS", 14)
REMINDERS_JOIN_REQUEST_DAYS = envint("ALONGSIDE_REMINDERS_JOIN_REQUEST_DAYS", 2)
REMINDERS_PREFERENCES_URL = "/reminders/preferences/"
REMINDERS_BATCH = envint("ALONGSIDE_REMINDERS_BATCH", 100)  # people per delivery transaction
REMINDERS_CLIENT_SLICE = envint("ALONGSIDE_REMINDERS_CLIENT_SLICE", 2000)  # clients the scan reads at a time
# Only the worker-kill test sets this: a pause after each person, so a worker can be killed mid-run.
REMINDERS_TEST_PAUSE_SECONDS = float(envstr("ALONGSIDE_REMINDERS_TEST_PAUSE_SECONDS", "0") or 0)

# Content Security Policy: every script, style, image and socket from this site only; no inline code.
if django.VERSION >= (6, 0):
    from django.utils.csp import CSP

    MIDDLEWARE.insert(1, "django.middleware.csp.ContentSecurityPolicyMiddleware")
    SECURE_CSP = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }

LOG_LEVEL = envstr("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# A live page this many events behind is told to reload rather than be sent them all (realtime.consumers).
REALTIME_RELOAD_AFTER = envint("ALONGSIDE_RELOAD_AFTER", 1000)
# Threads per process for the live sockets' database reads (realtime.db): below DATABASE_POOL_MAX, so that
# HTTP requests still find a pooled connection while many pages connect at once.
REALTIME_DB_THREADS = envint("ALONGSIDE_SOCKET_DB_THREADS", 4)
if REALTIME_DB_THREADS < 1:
    raise ImproperlyConfigured("ALONGSIDE_SOCKET_DB_THREADS must be 1 or more")
# How long a "who else is here" entry lives without a heartbeat from its socket.
PRESENCE_TTL_SECONDS = envint("ALONGSIDE_PRESENCE_TTL", 60)
# A request to join a circle that nobody decides lapses after this many days.
JOIN_REQUEST_DAYS = envint("ALONGSIDE_JOIN_REQUEST_DAYS", 14)
# Emergency ("break the glass") access lasts this long.
EMERGENCY_ACCESS_MINUTES = envint("ALONGSIDE_EMERGENCY_ACCESS_MINUTES", 60)
# Need to know: someone outside a client's circle reads that client's conference pack from their invitation
# until this many days after the meeting, and not after (conferences.access).
PACK_DAYS_AFTER = envint("ALONGSIDE_PACK_DAYS_AFTER", 14)
