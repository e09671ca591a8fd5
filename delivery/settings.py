"""Settings for Delivery, read from the environment (twelve-factor).

Every variable is optional while DEBUG is on. With DEBUG off, the two secrets must be
given and strong, or the process refuses to start with a one-line explanation.
"""

import json
import os
import secrets
import sys
import warnings
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        refuse_to_start(f"{name} must be a whole number, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_pem(name: str) -> str:
    """PEM text from the file named by ``NAME_PATH``, or from ``NAME`` itself.

    In ``NAME``, a literal ``\\n`` stands for a newline, as one-line variables need.
    """
    path = env_str(f"{name}_PATH")
    if not path:
        return env_str(name).replace("\\n", "\n")
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError):
        refuse_to_start(f"{name}_PATH names {path!r}, which cannot be read.")


def refuse_to_start(reason: str) -> NoReturn:
    """Stop the process with one readable line instead of a traceback."""
    sys.stderr.write(f"Delivery cannot start: {reason}\n")
    raise SystemExit(2)


# Random keys made once per checkout, kept in an ignored file beside manage.py
# (the workshop room keeps its keys there too, teaching.room.keys).
DEV_SECRETS_FILE = Path(env_str("DEV_SECRETS_FILE") or BASE_DIR / ".dev-secrets.json")


def development_secrets() -> dict[str, str]:
    """The keys kept in ``DEV_SECRETS_FILE``, made the first time."""
    path = DEV_SECRETS_FILE
    fresh = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_hex(32),
    }
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            stored = json.loads(path.read_text())
        except ValueError:
            stored = {}
        if all(isinstance(stored.get(key), str) for key in fresh):
            return stored
        path.write_text(json.dumps(fresh))
        return fresh
    with os.fdopen(fd, "w") as handle:
        json.dump(fresh, handle)
    return fresh


def weak_secret_key(key: str) -> bool:
    """The same test as Django's security.W009: long, varied, not a placeholder."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


def weak_signing_key(key: str) -> bool:
    """An HS256 key needs at least 32 random bytes: 43+ characters of base64 or hex."""
    return len(key) < 43 or len(set(key)) < 10


# --- Core ------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
JWT_ALGORITHM = env_str("JWT_ALGORITHM", "HS256").upper()

if DEBUG:
    _dev_secrets = development_secrets()
    SECRET_KEY = env_str("SECRET_KEY") or _dev_secrets["SECRET_KEY"]
    JWT_SIGNING_KEY = env_str("JWT_SIGNING_KEY") or _dev_secrets["JWT_SIGNING_KEY"]
else:
    SECRET_KEY = env_str("SECRET_KEY")
    JWT_SIGNING_KEY = env_str("JWT_SIGNING_KEY")
    if weak_secret_key(SECRET_KEY):
        refuse_to_start(
            "SECRET_KEY is missing or weak; with DEBUG off it must be 50+ random "
            "characters (or set DEBUG=1 for development)."
        )
    if JWT_ALGORITHM == "HS256" and weak_signing_key(JWT_SIGNING_KEY):
        refuse_to_start(
            "JWT_SIGNING_KEY is missing or weak; with DEBUG off it must hold 32+ "
            "random bytes, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
if JWT_SIGNING_KEY == SECRET_KEY:
    refuse_to_start(
        "JWT_SIGNING_KEY must differ from SECRET_KEY: one key, one purpose."
    )

# RS256/ES256: a private key signs, and only the public keys are published (at
# /api/auth/jwks.json), so other services can check cards without forging them.
# Keys that signed before the current one stay in JWT_PREVIOUS_PUBLIC_KEYS until
# their tokens have expired (accounts.keys).
if JWT_ALGORITHM not in {"HS256", "RS256", "ES256"}:
    refuse_to_start(
        f"JWT_ALGORITHM must be HS256, RS256 or ES256, not {JWT_ALGORITHM!r}."
    )
JWT_PRIVATE_KEY = "" if JWT_ALGORITHM == "HS256" else env_pem("JWT_PRIVATE_KEY")
if JWT_ALGORITHM != "HS256" and "PRIVATE KEY-----" not in JWT_PRIVATE_KEY:
    refuse_to_start(
        f"JWT_ALGORITHM={JWT_ALGORITHM} needs a PEM private key: set "
        "JWT_PRIVATE_KEY_PATH (a file) or JWT_PRIVATE_KEY."
    )
JWT_PREVIOUS_PUBLIC_KEYS = env_pem("JWT_PREVIOUS_PUBLIC_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "menu",
    "orders",
    "teaching",
]

# The attack labs (lab/): a deliberately broken waiter for a workshop room, beside
# the real one. On with DEBUG, or when `make workshop` sets WORKSHOP_LABS=1; never
# in production: `check --deploy` fails while they are on (lab.checks).
LABS_ENABLED = env_bool("WORKSHOP_LABS", default=DEBUG)
if LABS_ENABLED:
    INSTALLED_APPS.append("lab")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.limits.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TokenCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "delivery.urls"
WSGI_APPLICATION = "delivery.wsgi.application"

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
                "teaching.instructors.instructor",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers or threads may write at once. A transaction that takes the
    # write lock at BEGIN, and waits for it, cannot fail with "database is locked"
    # halfway, as one that starts by reading can.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # libpq waits for an unreachable server as long as the kernel does.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
# Three caches, kept apart so that no one of them can crowd out another:
# - "default": what every process must share and that stays small, such as the
#   menu's version (menu.cache) and the ticket rail;
# - "security": login counters (accounts.throttling) and revocation marks
#   (accounts.revocation), which only rate-limited requests can create, so
#   anonymous traffic can neither fill this store nor evict them from it;
# - "menu": the menu API's rendered answers, one per distinct request, which
#   anyone can create at will: each process keeps a bounded number of its own.
if REDIS_URL:
    REDIS_OPTIONS = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        # redis-py waits forever by default: a lost Redis would hang every
        # worker instead of failing the request (and /healthz) in seconds.
        "SOCKET_CONNECT_TIMEOUT": 2,
        "SOCKET_TIMEOUT": 2,
    }
    SHARED_CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "delivery",
            "OPTIONS": REDIS_OPTIONS,
        },
        "security": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "delivery-security",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
else:
    SHARED_CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "delivery",
        },
        "security": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "delivery-security",
            # Local memory drops entries beyond a maximum; this one is far above
            # what the login rates let anyone create.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
CACHES = {
    **SHARED_CACHES,
    "menu": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "delivery-menu",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Instant revocation (accounts.revocation): logout, "log out everywhere", a new
# password and a disabled account end access tokens at once, for one cache read per
# request. Every process must see the same marks, hence Redis with DEBUG off.
# A server of one process (WEB_CONCURRENCY=1, as each server of `make workshop`
# without Redis) may keep them in its own memory: every request reads that one.
JWT_INSTANT_REVOCATION = env_bool("JWT_INSTANT_REVOCATION", default=False)
# A refresh token presented again this soon after it was traded in (two tabs that
# renew at once) gets the refresh token it was traded for, not a theft verdict
# (accounts.verification).
JWT_REFRESH_GRACE_PERIOD = timedelta(seconds=env_int("JWT_REFRESH_GRACE_SECONDS", 10))
one_process = env_str("WEB_CONCURRENCY") == "1"
if JWT_INSTANT_REVOCATION and not DEBUG and not REDIS_URL and not one_process:
    refuse_to_start(
        "JWT_INSTANT_REVOCATION needs REDIS_URL: a local-memory cache is private "
        "to one process, so other processes would still accept revoked tokens "
        "(or serve with one process: WEB_CONCURRENCY=1)."
    )

# --- Passwords -------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, static files -------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# With DEBUG off, `collectstatic` gives every file a hashed name, cacheable for a
# year; until it has run (or for a file added since), a page links the file by
# its own name and WhiteNoise serves it from the source folders, so no page
# depends on a step someone may forget.
STATIC_URL = "static/"
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True
# Before the first collectstatic there is no STATIC_ROOT, and nothing is missing.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "delivery.static_storage.LenientManifestStaticFilesStorage"
        )
    },
}

# --- HTTP security -----------------------------------------------------------

# With DEBUG off the site is reached over HTTPS, unless PLAIN_HTTP says it is served
# over plain HTTP on purpose (a workshop room on a local network): then nothing is
# redirected, no HSTS is sent, and cookies lose the Secure flag that would keep a
# browser from sending them back over HTTP.
PLAIN_HTTP = env_bool("PLAIN_HTTP", default=False)
HTTPS_ONLY = not DEBUG and not PLAIN_HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
# A load balancer probes /healthz over plain HTTP, from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SAMESITE = "Lax"
# Every page and script takes the CSRF token from the page (the csrf_token tag, a
# meta tag, DRF's and Swagger UI's templates), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"

# The largest body a request may carry. An order of 50 lines is a few kilobytes;
# a larger body is refused with 413 before it is read (api.limits), and
# Django reads no more than this of a body whose length was not declared.
MAX_REQUEST_BODY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_SIZE

# The site keeps the JWTs in httpOnly cookies (accounts.cookies), out of reach of
# page scripts. The access cookie goes to every path; the refresh cookie only to
# the account's pages, /account/, where a request whose access cookie ran out is
# sent to be renewed (accounts.middleware) and where logout ends the login. Over
# HTTPS the names carry the browsers' prefixes: __Host- (Secure, Path=/, set by
# this host alone) for the access cookie, and __Secure- for the refresh cookie,
# since __Host- allows no path but /.
JWT_COOKIE_SECURE = HTTPS_ONLY
JWT_ACCESS_COOKIE_NAME = f"{'__Host-' if JWT_COOKIE_SECURE else ''}delivery_access"
JWT_ACCESS_COOKIE_PATH = "/"
JWT_REFRESH_COOKIE_NAME = (
    f"{'__Secure-' if JWT_COOKIE_SECURE else ''}delivery_refresh_token"
)
JWT_REFRESH_COOKIE_PATH = "/account/"

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# --- The API -------------------------------------------------------------------

REST_FRAMEWORK = {
    # The header first: its class names the WWW-Authenticate challenge of a 401.
    # No session authentication: the API takes a JWT and nothing else.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "accounts.authentication.JWTCookieAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "api.renderers.BrowsableAPIRenderer",
    ],
    # DRF's parsers, with every unreadable body a 400 or 413 (api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.DeliveryAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # Client addresses come from REMOTE_ADDR unless a trusted proxy count is given;
    # DRF's default would believe any X-Forwarded-For a client cares to send.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_RATES": {
        "login_username": env_str("LOGIN_RATE_PER_USERNAME", "5/min"),
        "login_address": env_str("LOGIN_RATE_PER_ADDRESS", "30/min"),
        "register": env_str("REGISTER_RATE_PER_ADDRESS", "20/hour"),
        "inspect": env_str("INSPECT_RATE_PER_ADDRESS", "120/min"),
        "place_order": env_str("ORDER_RATE_PER_USER", "30/min"),
    },
}

# simplejwt's settings that a code path of this project reads; each other one is
# read only by simplejwt code the project does not call (its views, serializers,
# ``for_user`` and its stateful ``JWTAuthentication``: see accounts/__init__.py),
# so it is not set here.
SIMPLE_JWT = {
    # The key set and the token backend (accounts.keys, accounts.backends).
    "ALGORITHM": JWT_ALGORITHM,
    "SIGNING_KEY": JWT_SIGNING_KEY if JWT_ALGORITHM == "HS256" else JWT_PRIVATE_KEY,
    "LEEWAY": 0,
    # The token classes: their lifetimes, and the claims they write and check.
    "ACCESS_TOKEN_LIFETIME": timedelta(
        seconds=env_int("JWT_ACCESS_TOKEN_LIFETIME", 900)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(
        seconds=env_int("JWT_REFRESH_TOKEN_LIFETIME", 86_400)
    ),
    "TOKEN_TYPE_CLAIM": "token_type",
    "JTI_CLAIM": "jti",
    "USER_ID_CLAIM": "user_id",
    # The waiter (accounts.authentication): the header it reads, and the user it
    # builds from a valid card without a query.
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_USER_CLASS": "accounts.tokens.TokenUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Delivery API",
    "DESCRIPTION": (
        "Order food with a signed ID card: log in at the front desk "
        "(/api/auth/token/), then show the access token to the waiter with "
        "`Authorization: Bearer <access>`. A browser logged in at /login/ shows it "
        "from an httpOnly cookie instead, with the CSRF token on unsafe requests."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Order statuses appear in several serializers and parameters: one enum.
    "ENUM_NAME_OVERRIDES": {"OrderStatusEnum": "orders.models.OrderStatus"},
}

# --- Logging ------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # key=value lines (api.logging): never a token, cookie or password.
        "structured": {"()": "api.logging.KeyValueFormatter"},
    },
    "filters": {
        # A foreign Host or a lost database: one line, not a traceback.
        "one_line_faults": {"()": "api.logging.OneLineFaults"},
        "failures_only": {"()": "api.logging.FailuresOnly"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structured",
            "filters": ["one_line_faults"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Every 4xx is in the access log already, and a refused token is logged
        # with its reason by accounts.authentication: keep the requests that
        # raised, whose traceback is nowhere else.
        "django.request": {"level": "ERROR", "filters": ["failures_only"]},
    },
}
