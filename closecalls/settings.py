"""
Settings for closecalls, read from the environment.

Every setting has a safe development default, so `make run` works with nothing set.
Production sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url):
    """Return a DATABASES entry for a postgres:// URL or a sqlite:///path URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = parts.path[1:] or ":memory:"
        path = Path(name)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # A transaction takes the write lock when it begins, so two that write at once queue
            # for it; deferred, both read and then one fails with "database is locked".
            # A reader waits up to 30 s (Python's default is 5) for a writer's transaction: on
            # a busy machine, one batch of an import holds the lock longer than 5 s.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
            # Tests use a file beside the database rather than memory: the live server's threads
            # then each open their own connection and lock as `make run` does.
            "TEST": {
                "NAME": None if name == ":memory:" else str(path.with_name(f"test_{path.name}"))
            },
        }
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")
    options = dict(parse_qsl(parts.query))
    return {
        # Django's backend with a health check that costs no round trip (core/postgresql/).
        "ENGINE": "core.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        # A socket directory is given as ?host=/path, as libpq does.
        "HOST": options.pop("host", parts.hostname or ""),
        "PORT": str(parts.port or options.pop("port", "")),
        "OPTIONS": options,
        "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = envbool("DEBUG", "1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "leads",
    "activities",
    "demo",
]

MIDDLEWARE = [
    "closecalls.middleware.ApiNoStoreMiddleware",
    "closecalls.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "closecalls.middleware.RepeatedSlashesMiddleware",
    "closecalls.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "closecalls.middleware.RequestSizeLimitMiddleware",
    "closecalls.middleware.DatabaseUnavailableMiddleware",
    "closecalls.throttling.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# What the apps above leads show on the lead pages, in this order (leads/pages.py).
LEAD_SECTIONS = ["activities.views.LeadCalls"]

# What the apps above activities add to the log-a-call form, in this order (activities/forms.py).
CALL_FORM_EXTENSIONS = []

# Who hears of every change the services make, in this order (core/changes.py): the apps above
# activities add themselves here.
CHANGE_RECEIVERS = []

ROOT_URLCONF = "closecalls.urls"
WSGI_APPLICATION = "closecalls.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsOrganizationMember"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.ORJSONRenderer",
        "api.browsable.BrowsableAPIRenderer",
    ],
    "VIEW_DESCRIPTION_FUNCTION": "api.browsable.view_description",
    "DEFAULT_PARSER_CLASSES": ["api.parsers.ORJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "api.errors.close_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "api.schema.CloseAutoSchema",
}

# The Close API kit (api/) imports no app. It serves the endpoints and schema components these
# modules declare (api/registry.py), and finds the caller's organization with this function.
API_MODULES = ["activities.api", "leads.api", "accounts.api"]
API_ORGANIZATION = "accounts.tenancy.current_organization"
# Keys the apps above leads add to the API's lead object (leads/api.py): dotted paths of Keys.
LEAD_API_KEYS = []

# The OpenAPI schema (/api/schema/) and its docs page (/api/docs/), from api/schema.py.
SPECTACULAR_SETTINGS = {
    "TITLE": "closecalls API",
    "DESCRIPTION": "Close-compatible call log API. Authenticate with HTTP Basic: the API key "
    "as the username and an empty password.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": ["api.schema.close_postprocessing"],
}

# Request bodies (middleware.py): JSON and form fields up to 1 MB; a signed-in user's form
# with a call's two audio files (50 MB each, activities.audio_files.MAX_AUDIO_SIZE) up to 101 MB,
# on the pages that take audio (core.large_uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024))
UPLOAD_MAX_REQUEST_SIZE = envint("UPLOAD_MAX_REQUEST_SIZE", str(101 * 1024 * 1024))

# Requests per API key (throttling.py), and per client address for unknown keys, counted in
# the default cache: this process's memory, or Redis when REDIS_URL is set, so that every server
# shares one count. If Redis stops answering, requests are served uncounted (and logged).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "40/s")

# Failed sign-ins (accounts.forms.ThrottledSignIn) are counted in the "security" cache, which
# never evicts a live counter: Redis when REDIS_URL is set (configure it with `maxmemory-policy
# noeviction`); otherwise the core_cache table of this database (core.database_cache), shared
# by every process of a single server. If that store stops answering, sign-in is refused.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Fail in a second, not in the 5 s default, when Redis is down or unreachable.
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {"default": _redis, "security": {**_redis, "KEY_PREFIX": "security"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "security": {
            "BACKEND": "core.database_cache.CounterDatabaseCache",
            "LOCATION": "core_cache",
        },
    }

# Failed sign-ins allowed per username and client address, and per username from all addresses
# together, in windows of LOGIN_FAILURE_WINDOW seconds.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_USERNAME_FAILURE_LIMIT = envint("LOGIN_USERNAME_FAILURE_LIMIT", "50")
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")

# Reverse proxies in front of the app (core/addresses.py): 0 when clients connect to it directly,
# else N, and the client's address is the N-th from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

# HTTPS in production: `manage.py check --deploy` passes with DEBUG=0, SECRET_KEY and
# ALLOWED_HOSTS set. Each can be turned off by env, e.g. behind a proxy that redirects itself.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0")
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole domain to HTTPS in browsers' own lists: an opt-in for the
    # operator who submits it (SECURE_HSTS_PRELOAD=1), not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(envlist("SECURE_PROXY_SSL_HEADER", ""))

# Background jobs (jobs/, README "Background jobs"): Django's tasks API through django-tasks.
# JOBS_BACKEND=database keeps the queue in the project's database (SQLite or PostgreSQL; workers
# on several machines share PostgreSQL's); JOBS_BACKEND=rq keeps it in Redis at REDIS_URL. The
# jobs' state (jobs.Job) is in the database either way.
JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "database")
JOBS_QUEUES = envlist("JOBS_QUEUES", "default")
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "jobs"]
if JOBS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": JOBS_QUEUES}}
elif JOBS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": JOBS_QUEUES}}
    _redis_url = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    # No time limit, as with the database backend: a long recording takes what it takes.
    RQ_QUEUES = {queue: {"URL": _redis_url, "DEFAULT_TIMEOUT": -1} for queue in JOBS_QUEUES}
else:
    raise ImproperlyConfigured(f"JOBS_BACKEND: {JOBS_BACKEND!r} is not database or rq")
# Attempts of a job on transient errors, and the wait after the first failed one (doubling).
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", "5")
JOBS_RETRY_BACKOFF_SECONDS = float(os.environ.get("JOBS_RETRY_BACKOFF_SECONDS", "10"))
JOBS_RETRY_BACKOFF_MAX_SECONDS = float(os.environ.get("JOBS_RETRY_BACKOFF_MAX_SECONDS", "3600"))
# A running job whose worker has not renewed its lease for this long is given to another worker.
JOBS_LEASE_SECONDS = float(os.environ.get("JOBS_LEASE_SECONDS", "60"))
# How often each worker reaps, dispatches due retries and enqueues periodic jobs; how often an
# idle database worker looks for work.
JOBS_TICK_SECONDS = float(os.environ.get("JOBS_TICK_SECONDS", "1"))
# A queued job handed to the backend this long ago and never started is handed again.
JOBS_REDISPATCH_SECONDS = envint("JOBS_REDISPATCH_SECONDS", "3600")
# Finished jobs are deleted after this many days.
JOBS_KEEP_DAYS = envint("JOBS_KEEP_DAYS", "30")

# Automatic transcription (transcription/, README "Transcription"). The engine: pocketsphinx
# (its English model is in its wheel: works offline), faster-whisper (optional package; the
# operator gives a local CTranslate2 model directory, nothing is downloaded) or none.
INSTALLED_APPS += ["transcription"]
CHANGE_RECEIVERS += ["transcription.receivers.transcribe_new_audio"]
CALL_PANELS = ["transcription.panels.transcription_panel"]
TRANSCRIPTION_ENGINE = os.environ.get("TRANSCRIPTION_ENGINE", "pocketsphinx")
TRANSCRIPTION_WHISPER_MODEL = os.environ.get("TRANSCRIPTION_WHISPER_MODEL", "")
TRANSCRIPTION_WHISPER_COMPUTE_TYPE = os.environ.get("TRANSCRIPTION_WHISPER_COMPUTE_TYPE", "int8")
TRANSCRIPTION_LANGUAGE = os.environ.get("TRANSCRIPTION_LANGUAGE", "en")
TRANSCRIPTION_THREADS = envint("TRANSCRIPTION_THREADS", "1")
# Stereo: the side whose words are on the left channel (close-user: the rep; or contact); the
# other side is on the right. Mono recordings: the side all utterances get (sides are unknown).
TRANSCRIPTION_LEFT_CHANNEL = os.environ.get("TRANSCRIPTION_LEFT_CHANNEL", "close-user")
TRANSCRIPTION_MONO_SIDE = os.environ.get("TRANSCRIPTION_MONO_SIDE", "contact")
# A silence longer than this (seconds) starts a new utterance.
TRANSCRIPTION_PAUSE_SECONDS = float(os.environ.get("TRANSCRIPTION_PAUSE_SECONDS", "0.8"))
# Longer audio is not transcribed (it fails with that reason).
TRANSCRIPTION_MAX_SECONDS = envint("TRANSCRIPTION_MAX_SECONDS", str(2 * 3600))
# Recordings given as URLs: the download's size and time limits.
TRANSCRIPTION_DOWNLOAD_MAX_BYTES = envint("TRANSCRIPTION_DOWNLOAD_MAX_BYTES", str(200 * 1024**2))
TRANSCRIPTION_DOWNLOAD_TIMEOUT = envint("TRANSCRIPTION_DOWNLOAD_TIMEOUT", "120")
# URLs users give are never fetched from private, loopback, link-local or reserved addresses
# (core/safe_http.py), except in these networks the operator trusts, e.g. 10.1.2.0/24.
SAFE_HTTP_ALLOWED_NETWORKS = envlist("SAFE_HTTP_ALLOWED_NETWORKS", "")
for _name in ("TRANSCRIPTION_LEFT_CHANNEL", "TRANSCRIPTION_MONO_SIDE"):
    if globals()[_name] not in ("close-user", "contact"):
        raise ImproperlyConfigured(f"{_name}: {globals()[_name]!r} is not close-user or contact")

# Team insights (insights/, README "Team insights"): the tallies follow every call change in its
# own transaction; the page is /insights/, Close's activity report is under /api/v1/report/.
INSTALLED_APPS += ["insights"]
CHANGE_RECEIVERS += ["insights.tallies.tally_change"]
API_MODULES += ["insights.api"]

# Events and webhooks (events/, README "Events and webhooks"): every change the services make
# is written to the event log in its own transaction, and delivered to webhook subscriptions by
# the jobs workers.
INSTALLED_APPS += ["events"]
CHANGE_RECEIVERS += ["events.receivers.record_change"]
API_MODULES += ["events.api"]
# The objects the event log records (events/objects.py): model label -> (Close's object type,
# the representation its `data` is built with, the attribute path of its lead's id or None).
EVENT_OBJECTS = {
    "leads.Lead": ("lead", "leads.api.LEAD", "id"),
    "leads.Contact": ("contact", "leads.api.CONTACT", "lead_id"),
    "activities.Call": ("activity.call", "activities.api.CALL", "lead_id"),
    "activities.Transcript": (
        "activity.call.transcript",
        "activities.api.CALL_TRANSCRIPT",
        "call.lead_id",
    ),
    "activities.Outcome": ("outcome", "activities.api.OUTCOME", None),
    "followups.Task": ("task.lead", "followups.api.TASK", "lead_id"),
}
# Events older than this many days are deleted (hourly, in batches of EVENTS_PRUNE_BATCH).
EVENTS_KEEP_DAYS = envint("EVENTS_KEEP_DAYS", "30")
EVENTS_PRUNE_BATCH = envint("EVENTS_PRUNE_BATCH", "1000")
# Where the app is served, for the links an event's data holds when no request made the change
# (a background job): a call's uploaded recording, say.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")
# Webhook URLs are https on public addresses. Hosts listed here (e.g. a receiver on this machine
# during development) are exempt from the address check and may be plain http.
WEBHOOK_ALLOWED_HOSTS = [host.lower() for host in envlist("WEBHOOK_ALLOWED_HOSTS", "")]
WEBHOOK_MAX_SUBSCRIPTIONS = envint("WEBHOOK_MAX_SUBSCRIPTIONS", "40")
# A delivery is a 2xx within WEBHOOK_TIMEOUT_SECONDS; the answer's body is read up to
# WEBHOOK_RESPONSE_MAX_BYTES. Failed ones are tried again after WEBHOOK_RETRY_BACKOFF_SECONDS,
# doubling up to WEBHOOK_RETRY_BACKOFF_MAX_SECONDS, for WEBHOOK_RETRY_HOURS; a subscription
# whose every delivery has failed for WEBHOOK_PAUSE_AFTER_HOURS is paused.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_RESPONSE_MAX_BYTES = envint("WEBHOOK_RESPONSE_MAX_BYTES", str(64 * 1024))
WEBHOOK_RETRY_BACKOFF_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BACKOFF_SECONDS", "30"))
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = float(
    os.environ.get("WEBHOOK_RETRY_BACKOFF_MAX_SECONDS", str(20 * 60))
)
WEBHOOK_RETRY_HOURS = float(os.environ.get("WEBHOOK_RETRY_HOURS", "72"))
WEBHOOK_PAUSE_AFTER_HOURS = float(os.environ.get("WEBHOOK_PAUSE_AFTER_HOURS", str(3 * 24)))
# Follow-up tasks (followups/, README "Follow-ups"): the Task API, the automatic tasks of missed
# calls and voicemails, the follow-up of the log-a-call form, the tasks on a lead's page. The
# rep's home (home/) shows their inbox beside today's numbers.
INSTALLED_APPS += ["followups", "home"]
API_MODULES += ["followups.api"]
LEAD_API_KEYS += ["followups.api.LEAD_TASKS"]
CHANGE_RECEIVERS += ["followups.receivers.follow_calls"]
LEAD_SECTIONS.insert(0, "followups.views.LeadTasks")  # above the calls
CALL_FORM_EXTENSIONS += ["followups.forms.FollowUp"]

# Search across every word said and written (search/, README "Search"): an index of every
# utterance and call note, kept by the write path. PostgreSQL matches with full-text search in
# this text search configuration (`SELECT cfgname FROM pg_ts_config`; after changing it, run
# `manage.py rebuild_search_index`); SQLite with FTS5 and the Porter stemmer (English).
INSTALLED_APPS += ["search"]
CHANGE_RECEIVERS += ["search.receivers.keep_index"]
API_MODULES += ["search.api"]
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")

# Importing calls from CSV files (imports/, README "Importing calls"): organization admins upload
# a file at /imports/; the dry run, the import and its revert are background jobs.
INSTALLED_APPS += ["imports"]
# The largest file taken, in bytes. An upload is a request too: UPLOAD_MAX_REQUEST_SIZE bounds it.
IMPORT_MAX_FILE_SIZE = envint("IMPORT_MAX_FILE_SIZE", str(100 * 1024 * 1024))
# Rows per batch: each batch is one transaction, and an import stopped half-way resumes after the
# last one committed.
IMPORT_BATCH_ROWS = envint("IMPORT_BATCH_ROWS", "1000")
