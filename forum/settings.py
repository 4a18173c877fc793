"""Stapel settings, read from the environment (see README.md, "Configuration")."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The reverse proxies in front of the site, as addresses or networks ("127.0.0.1,::1" for
# nginx on the same machine). Only a request whose direct peer is one of them has its
# X-Forwarded-For read for the visitor's address (core.throttling.client_address), and
# gunicorn takes X-Forwarded-Proto from them alone (deploy/gunicorn.conf.py). Empty: the
# site faces its visitors directly and believes neither header.
FORUM_TRUSTED_PROXIES = env_list("FORUM_TRUSTED_PROXIES", [])
try:
    for _proxy in FORUM_TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy)
except ValueError as error:
    raise ImproperlyConfigured(f"FORUM_TRUSTED_PROXIES: {error}") from None

INSTALLED_APPS = [
    "accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "forum",
    "core",
    "accounts",
    "questions",
    "moderation",
    "notifications",
    "reviews",
    "spam",
    "badges",
    "bounties",
    "webhooks",
    "api",
    "seapi",
    "privacy",
]

MIDDLEWARE = [
    # Outermost, so that they measure and log what every other middleware does.
    "core.metrics.MetricsMiddleware",
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions, languages or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ?lang=de or ?lang=en: each language version at an address of its own, for crawlers.
    "core.middleware.LanguageParameterMiddleware",
    # After the language is known, so that its refusal speaks the visitor's language.
    "core.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A member's "last seen" (written every FORUM_LAST_SEEN_SECONDS at most).
    "accounts.last_seen.LastSeenMiddleware",
    # The days a member visits in a row, for the badges (once a day per session).
    "badges.middleware.VisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

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
                "core.context_processors.site",
                "core.context_processors.theme",
                "moderation.context_processors.moderation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers: every query of a page takes milliseconds, and starting workers
    # costs more than they save (a search's ranking: 24 ms with two, 9 ms without) while
    # under load they take the cores other requests are waiting for.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c max_parallel_workers_per_gather=0"
    )

# The members' posts' indexes carry their question as an INCLUDE column, so that a deep
# page of a profile tab reads its ids from the index alone on PostgreSQL
# (questions/migrations/0023). SQLite keeps the key columns, which answer the same queries.
SILENCED_SYSTEM_CHECKS = (
    [] if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else ["models.W040"]
)

# A streaming read replica (core/routers.py): page reads (GET and HEAD) go to it, all else
# to the primary; a client that wrote reads from the primary for
# FORUM_READ_YOUR_WRITES_SECONDS, longer than the replica's usual lag. Migrations run on
# the primary only.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
FORUM_READ_YOUR_WRITES_SECONDS = int(os.environ.get("FORUM_READ_YOUR_WRITES_SECONDS", "5"))
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # The test suite reads the test database through the alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
    # First, so that every read of the request, the session's too, knows where to go.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "core.routers.ReadYourWritesMiddleware",
    )

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new passwords; the others only to verify (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the interface speaks German and English. FORUM_LANGUAGE is the
# site's own language: the default for visitors whose browser asks for neither.
LANGUAGES = [("de", _("German")), ("en", _("English"))]
FORUM_LANGUAGE = os.environ.get("FORUM_LANGUAGE", "de")
if FORUM_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"FORUM_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}.")
LANGUAGE_CODE = FORUM_LANGUAGE
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Uploads (avatars): files under MEDIA_ROOT, served at MEDIA_URL (by nginx in production,
# by forum.urls when FORUM_SERVE_MEDIA is on: DEBUG's default); or, with
# FORUM_MEDIA_S3_BUCKET, an S3-compatible store through django-storages (boto3 reads
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment itself).
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
FORUM_SERVE_MEDIA = env_bool("FORUM_SERVE_MEDIA", DEBUG)
# The largest avatar upload taken, in bytes (core.images checks pixels and sides too).
FORUM_AVATAR_MAX_BYTES = int(os.environ.get("FORUM_AVATAR_MAX_BYTES", 2 * 1024 * 1024))
# Images in posts (questions/post_images.py): the largest upload in bytes, the most pixels
# and the longest side taken, and how many uploads a member may try in an hour.
FORUM_POST_IMAGE_MAX_BYTES = int(os.environ.get("FORUM_POST_IMAGE_MAX_BYTES", 4 * 1024 * 1024))
FORUM_POST_IMAGE_MAX_PIXELS = int(os.environ.get("FORUM_POST_IMAGE_MAX_PIXELS", 25_000_000))
FORUM_POST_IMAGE_MAX_SIDE = int(os.environ.get("FORUM_POST_IMAGE_MAX_SIDE", 8000))
FORUM_IMAGE_UPLOADS_PER_HOUR = int(os.environ.get("FORUM_IMAGE_UPLOADS_PER_HOUR", 30))
# How often a member's "last seen" is written while they browse (accounts/last_seen.py).
FORUM_LAST_SEEN_SECONDS = int(os.environ.get("FORUM_LAST_SEEN_SECONDS", 300))
if os.environ.get("FORUM_MEDIA_S3_BUCKET"):
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FORUM_MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("FORUM_MEDIA_S3_ENDPOINT") or None,
            "region_name": os.environ.get("FORUM_MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("FORUM_MEDIA_S3_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "max-age=31536000"},
        },
    }
else:
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _MEDIA_STORAGE,
    # collectstatic stores each file under a name with its content's hash too, and a gzipped
    # copy; pages link the hashed names, which WhiteNoise serves (gzipped to browsers that
    # accept it) as cacheable for ten years: a changed file gets a new name.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Bootstrap comes from the npm registry at install time (`npm ci`), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # The API's documentation page (/api/docs/), from the npm registry as Bootstrap is.
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    # ALTCHA's sign-up widget, its stylesheet and its worker apart (the CSP allows no
    # style the script would write into the page).
    ("vendor/altcha", BASE_DIR / "node_modules" / "altcha" / "dist_external"),
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "questions:list"
LOGOUT_REDIRECT_URL = "questions:list"

# Mail: over SMTP when a host is configured; otherwise written to files in
# EMAIL_FILE_PATH when that is set (one file per connection: what a worker process sent
# can be read by another, as the worker's test does), else printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stapel <noreply@localhost>")

# Log-in throttling: after this many failures within the window, further attempts for
# the same account, or from the same address, are refused until the window has passed.
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
# Password-reset emails: at most this many to one email address, and asked from one
# address, within the window; more are refused with a message, and no email goes out.
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# Sign-up defences (accounts/forms.py, accounts/challenge.py, accounts/verification.py): a
# honeypot field, a minimum fill time, ALTCHA's proof of work (or, without JavaScript, an
# emailed link that creates the account) and email verification before a new member may
# post. FORUM_SIGNUP_DEFENCES=0 turns them all off, for tests and local demos only.
FORUM_SIGNUP_DEFENCES = os.environ.get("FORUM_SIGNUP_DEFENCES", "1") != "0"
# Verification alone can be turned off, for closed communities whose members are known.
FORUM_EMAIL_VERIFICATION = os.environ.get("FORUM_EMAIL_VERIFICATION", "1") != "0"
FORUM_SIGNUP_MIN_SECONDS = 3
# The challenge's difficulty (the numbers a browser may have to try: about a second) and
# how long it may be solved and sent; each is taken once.
FORUM_SIGNUP_CHALLENGE_MAX_NUMBER = int(
    os.environ.get("FORUM_SIGNUP_CHALLENGE_MAX_NUMBER", 100_000)
)
FORUM_SIGNUP_CHALLENGE_SECONDS = 20 * 60
FORUM_SIGNUPS_PER_ADDRESS = int(os.environ.get("FORUM_SIGNUPS_PER_ADDRESS", 10))
FORUM_SIGNUP_WINDOW_SECONDS = 24 * 60 * 60
FORUM_VERIFICATION_LINK_SECONDS = 3 * 24 * 60 * 60
FORUM_VERIFICATION_EMAILS_PER_DAY = 3

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The probes of process managers and load balancers talk plain HTTP to gunicorn.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Pagination of question lists.
FORUM_PAGE_SIZES = (15, 30, 50)
FORUM_DEFAULT_PAGE_SIZE = 15

# Logs go to standard error: one JSON object a line in production (LOG_FORMAT=json, the
# default without DJANGO_DEBUG), for a log collector; plain lines with LOG_FORMAT=text (the
# default with DJANGO_DEBUG, and in the tests). In JSON every request is logged once
# (core/logs.py), at INFO on "stapel.requests"; LOG_REQUESTS=0 turns that off.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "stapel.requests": {
            "level": "INFO" if env_bool("LOG_REQUESTS", LOG_FORMAT == "json") else "WARNING"
        }
    },
}

# Error reports to Sentry when SENTRY_DSN is set (core/errors.py); nothing is sent otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from core.errors import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Who may read /metrics (forum/metrics.py): the addresses of the Prometheus servers, as the
# app sees them. Everyone else gets a 404. Behind a proxy on the same machine the proxy's
# own address is 127.0.0.1, so the proxy must not pass /metrics on (deploy/nginx).
FORUM_METRICS_ADDRESSES = env_list("FORUM_METRICS_ADDRESSES", ["127.0.0.1", "::1"])

# Reputation thresholds, and the limits they lift from new users (accounts/privileges.py):
# "full" for an established site, "beta" for a young community.
FORUM_PRIVILEGE_PROFILE = os.environ.get("FORUM_PRIVILEGE_PROFILE", "full")
if FORUM_PRIVILEGE_PROFILE not in {"full", "beta"}:
    raise ImproperlyConfigured("FORUM_PRIVILEGE_PROFILE must be 'full' or 'beta'.")

# Voting, as on Stack Exchange: votes a user may cast per UTC day, of which the last
# FORUM_QUESTION_ONLY_VOTES only on questions; how long a vote may still be changed
# (longer if the post is edited after it); the most reputation upvotes give a user per
# UTC day (acceptance is exempt).
FORUM_VOTES_PER_DAY = 40
FORUM_QUESTION_ONLY_VOTES = 10
FORUM_VOTE_LOCK_MINUTES = 5
FORUM_REPUTATION_DAILY_CAP = 200

# Search
# The text-search configuration that stems words in the site's language: "german" finds
# "Freundschaft" for "Freundschaften". Changing it needs the index rebuilt
# (questions/search/index.py).
FORUM_SEARCH_CONFIG = {"de": "german", "en": "english"}[FORUM_LANGUAGE]
# Searches per visitor; the next one gets a 429 page. `make bench` lifts it from the environment.
FORUM_SEARCH_RATE_PER_MINUTE = int(os.environ.get("FORUM_SEARCH_RATE_PER_MINUTE", "30"))
FORUM_SEARCH_CANDIDATES = 1000  # text matches ranked per search, the newest ones
FORUM_SEARCH_MAX_QUERY_LENGTH = 500  # longer queries are cut, with a note

# Moderation
FORUM_FLAGS_PER_DAY = 10
FORUM_FLAGS_TO_HIDE = 3  # spam or rude flags that hide a question from the lists
FORUM_FLAGS_TO_DELETE = 6  # spam or rude flags that delete and lock a post
FORUM_SPAM_PENALTY = 100  # reputation its author loses when flags delete a post
# Destroying a spammer (spam/): it can be undone for this many days; the suspension it
# makes lasts this long. The optional spam check of new posts and comments: its backend
# (spam/checking.py), by default an Akismet-compatible comment-check URL and its key; no
# URL, no check.
FORUM_SPAM_UNDO_DAYS = int(os.environ.get("FORUM_SPAM_UNDO_DAYS", 30))
FORUM_SPAM_SUSPENSION_DAYS = int(os.environ.get("FORUM_SPAM_SUSPENSION_DAYS", 365))
FORUM_SPAM_CHECK_BACKEND = os.environ.get("FORUM_SPAM_CHECK_BACKEND", "spam.checking.Akismet")
FORUM_SPAM_CHECK_URL = os.environ.get("FORUM_SPAM_CHECK_URL", "")
FORUM_SPAM_CHECK_KEY = os.environ.get("FORUM_SPAM_CHECK_KEY", "")
FORUM_CLOSE_VOTES_NEEDED = 3
FORUM_CLOSE_VOTE_DAYS = 14  # votes older than this lapse
# Comments, as on Stack Exchange: their authors may edit them this long after posting;
# members upvote at most this many a day; this many "no longer needed", "unfriendly" or
# "harassment" flags from different members remove a comment (a moderator's one flag does).
FORUM_COMMENT_EDIT_MINUTES = 5
FORUM_COMMENT_VOTES_PER_DAY = 30
FORUM_COMMENT_FLAGS_TO_DELETE = 3

# Cache
# Redis when REDIS_URL is set (shared by all processes: pages, generations, view counts);
# otherwise each process keeps its own in memory. See questions/caching.py.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # A Redis that is down or slow must not take the site with it: the default cache
    # answers a miss and logs (core/cache.py), and the throttle falls back to the
    # database (core/throttling.py). Short timeouts keep a hung Redis from holding pages.
    _REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_OPTIONS,
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.CountedLocMemCache",
            # Django's default of 300 entries would evict generations and view counters
            # as soon as a few hundred pages are cached.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# How long an anonymous visitor's page may be served from the cache. Writes through the
# services show at once; this bounds what they do not announce (relative times, a
# renamed author, reputation on other threads). 0 turns the page cache off.
FORUM_PAGE_CACHE_SECONDS = int(os.environ.get("FORUM_PAGE_CACHE_SECONDS", "5"))
# The forms a thread repeats under every post (flag dialog, comment box) are rendered once
# a page and copied with each post's id (core.stamping). False renders every copy in full:
# the tests compare the two.
FORUM_STAMP_FRAGMENTS = True
# List pages deeper than this are read with a keyset seek instead of an OFFSET.
FORUM_LIST_OFFSET_PAGES = 20
# How long a list's total and its deep pages' boundaries are kept (writes renew them).
FORUM_LIST_CACHE_SECONDS = 300
# How long a thread's related questions are kept ranked (their titles and scores are
# read fresh on every view; a deleted or hidden one drops out at once).
FORUM_RELATED_CACHE_SECONDS = int(os.environ.get("FORUM_RELATED_CACHE_SECONDS", "600"))
# How long the hot questions of a tag set (a thread's sidebar) are kept, titles and all.
FORUM_HOT_CACHE_SECONDS = int(os.environ.get("FORUM_HOT_CACHE_SECONDS", "300"))
# Views of a thread are counted in the cache and written to the database every this many
# views of it, and by `manage.py flush_view_counts`.
FORUM_VIEW_COUNT_FLUSH_EVERY = 20

# Background tasks: Celery, with Redis as its broker. Without REDIS_URL the tasks run in
# the process that enqueues them, after the commit of the change they follow (eager), so
# `make run` needs no worker; with it, `make worker` runs the worker and beat, on as many
# machines as the site likes. Periodic work runs from beat on the schedule below.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is sent anywhere; an in-memory broker keeps Celery from looking for one.
    CELERY_BROKER_URL = "memory://"
# An eager task's error reaches the event subscriber that enqueued it, which logs it.
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is taken off the queue when it has run, so a worker that dies mid-task leaves it
# for another (the tasks are idempotent); one task at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "digests-daily": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(hour=6, minute=0),
        "args": ("daily",),
    },
    "digests-weekly": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(day_of_week=1, hour=6, minute=30),
        "args": ("weekly",),
    },
    "view-counts-flush": {
        "task": "questions.tasks.view_counts_flush",
        "schedule": 300.0,
    },
    # Settles the bounties whose grace period passed and reminds offerers a day ahead.
    "bounties-settle": {
        "task": "bounties.tasks.bounties_settle",
        "schedule": 600.0,
    },
    # The badges that time, views, saves and profiles decide (badges/table.py: periodic).
    "badges-sweep": {
        "task": "badges.tasks.badges_sweep",
        "schedule": crontab(minute=17),
    },
    "webhooks-deliver-due": {
        "task": "webhooks.tasks.deliveries_due",
        "schedule": 60.0,
    },
    # Erases the accounts whose deletion grace period is over; deletes expired exports.
    "privacy-sweep": {
        "task": "privacy.tasks.privacy_sweep",
        "schedule": 600.0,
    },
}

# Privacy
# The days between a member's request to delete their account and its erasure, in which
# they may cancel; the hours a copy of their data is offered for download.
FORUM_ACCOUNT_DELETION_DAYS = int(os.environ.get("FORUM_ACCOUNT_DELETION_DAYS", "7"))
FORUM_DATA_EXPORT_HOURS = int(os.environ.get("FORUM_DATA_EXPORT_HOURS", "24"))

# Badges
# The events' subscribers evaluate the badges of the members concerned (in the worker, or
# eagerly after the commit without one); off, only the sweep awards them.
FORUM_BADGES_ON_EVENTS = True

# Notifications
# An entry in the inbox is written for this many recipients per statement (a question
# with 10,000 followers takes ten).
FORUM_NOTIFICATION_BATCH = 1000
FORUM_INBOX_PAGE_SIZE = 30
# How often one member's comments may notify another by mentioning them, per hour.
FORUM_MENTIONS_PER_HOUR = 5
# How long the link in an email unsubscribes its reader.
FORUM_UNSUBSCRIBE_DAYS = 60
# The site's address, for the links in emails (a task has no request to take it from).
FORUM_SITE_URL = os.environ.get("FORUM_SITE_URL", "http://127.0.0.1:8000")

# Stack Exchange's API 2.3 for reads (seapi/, under /api/2.3/): the site as its sites
# method lists it (clients look for it by SEAPI_SITE_PARAMETER before anything else), and
# the requests a day one address may make, as Stack Exchange's quota_max.
SEAPI_SITE_PARAMETER = os.environ.get("SEAPI_SITE_PARAMETER", "stapel")
SEAPI_SITE_NAME = os.environ.get("SEAPI_SITE_NAME", "Stapel")
SEAPI_SITE_AUDIENCE = os.environ.get(
    "SEAPI_SITE_AUDIENCE", "people who ask and answer questions on this site"
)
SEAPI_QUOTA_PER_DAY = int(os.environ.get("SEAPI_QUOTA_PER_DAY", "300"))

# Review queues (reviews/), as on Stack Exchange. How many reviews complete a task of each
# queue: any review for the first posts and late answers; approvals or rejections of a
# suggested edit (the post's author's and a moderator's decide alone); "Leave open" or
# "Leave closed" reviews (the close votes decide the other way, by FORUM_CLOSE_VOTES_NEEDED);
# "Looks OK" or "Recommend deletion" reviews of a low-quality post.
FORUM_REVIEWS_TO_COMPLETE = {
    "first_questions": 1,
    "first_answers": 1,
    "late_answers": 1,
    "suggested_edits": 2,
    "close_votes": 3,
    "reopen_votes": 3,
    "low_quality": 2,
}
# Reviews a reviewer may do per queue and UTC day (skips do not count).
FORUM_REVIEWS_PER_DAY = 20
# An answer to a question older than this many days, by a member below this reputation,
# goes to the late answers; an answer shorter than this many characters, to low quality.
FORUM_LATE_ANSWER_DAYS = 30
FORUM_LATE_ANSWER_REPUTATION = 10
FORUM_SHORT_ANSWER_LENGTH = 50
# A member's first question and first answer are held until a reviewer of the first posts
# approves them: seen only by their author and the reviewers (questions.models.Post.held_at).
FORUM_HOLD_FIRST_POSTS = env_bool("FORUM_HOLD_FIRST_POSTS", False)
# Review audits: about one task in FORUM_REVIEW_AUDIT_EVERY of the first posts, late answers
# and low quality queues is a known-good post (old, accepted or scored at least
# FORUM_REVIEW_AUDIT_GOOD_SCORE) or a known-bad one (deleted after spam or rude flags, or
# scored FORUM_REVIEW_AUDIT_BAD_SCORE or less). FORUM_REVIEW_AUDIT_FAILURES_TO_BAN failed
# audits in a row keep the reviewer out of the queues for FORUM_REVIEW_BAN_DAYS, doubled
# for each earlier ban up to FORUM_REVIEW_BAN_MAX_DAYS.
FORUM_REVIEW_AUDIT_EVERY = 10
FORUM_REVIEW_AUDIT_GOOD_SCORE = 5
FORUM_REVIEW_AUDIT_BAD_SCORE = -5
FORUM_REVIEW_AUDIT_MIN_AGE_DAYS = 30
FORUM_REVIEW_AUDIT_FAILURES_TO_BAN = 3
FORUM_REVIEW_BAN_DAYS = 2
FORUM_REVIEW_BAN_MAX_DAYS = 32

# Webhooks (webhooks/): the community managers' endpoints. Deliveries go to public
# addresses only, unless FORUM_WEBHOOK_ALLOW_PRIVATE lets them reach loopback and private
# ranges (receivers inside the site's own network). An attempt waits FORUM_WEBHOOK_TIMEOUT
# seconds to connect and for the answer, keeps FORUM_WEBHOOK_RESPONSE_EXCERPT bytes of it,
# and is retried after FORUM_WEBHOOK_RETRY_SECONDS, doubled each time, up to
# FORUM_WEBHOOK_ATTEMPTS attempts; FORUM_WEBHOOK_FAILURES_TO_DISABLE failed attempts in a
# row switch the webhook off and email the community managers.
FORUM_WEBHOOK_ALLOW_PRIVATE = env_bool("FORUM_WEBHOOK_ALLOW_PRIVATE", False)
FORUM_WEBHOOK_TIMEOUT = int(os.environ.get("FORUM_WEBHOOK_TIMEOUT", "5"))
FORUM_WEBHOOK_RESPONSE_EXCERPT = 1024
FORUM_WEBHOOK_RETRY_SECONDS = int(os.environ.get("FORUM_WEBHOOK_RETRY_SECONDS", "60"))
FORUM_WEBHOOK_ATTEMPTS = int(os.environ.get("FORUM_WEBHOOK_ATTEMPTS", "6"))
FORUM_WEBHOOK_FAILURES_TO_DISABLE = int(os.environ.get("FORUM_WEBHOOK_FAILURES_TO_DISABLE", "10"))
# Due retries attempted per run of the sweep (beat runs it every minute).
FORUM_WEBHOOK_SWEEP_BATCH = 100

# Domain events (core/events.py): a subscriber that fails is logged and the others still
# get the event, since the change it reacts to has committed. The tests raise instead.
FORUM_EVENT_ERRORS_RAISE = False

# The REST API (api/, under /api/v1/; its schema at /api/schema/, its documentation at
# /api/docs/). Clients authenticate with a personal access token ("Authorization: Bearer
# …") or, for the site's own scripts, with the session and its CSRF token. Errors are
# RFC 9457 problem details.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AccessTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stapel API",
    "DESCRIPTION": "Read and write questions, answers and comments on a Stapel site.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema describes this API; Stack Exchange's (/api/2.3/) is documented by Stack
    # Exchange.
    "PREPROCESSING_HOOKS": ["api.schema.only_this_api"],
    "COMPONENT_SPLIT_REQUEST": True,
}
# Requests per window (FORUM_API_RATE_WINDOW_SECONDS) for each access token or logged-in
# member, and for each anonymous address; past them the API answers 429 with Retry-After.
FORUM_API_RATE_AUTHENTICATED = int(os.environ.get("FORUM_API_RATE_AUTHENTICATED", "10000"))
FORUM_API_RATE_ANONYMOUS = int(os.environ.get("FORUM_API_RATE_ANONYMOUS", "300"))
FORUM_API_RATE_WINDOW_SECONDS = 24 * 60 * 60
# Origins whose pages may call the API from a browser (CORS), e.g.
# "https://tools.example.org"; empty (the default): none but the site itself.
FORUM_API_CORS_ORIGINS = env_list("FORUM_API_CORS_ORIGINS", [])
