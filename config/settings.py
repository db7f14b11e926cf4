"""HopThu settings, read from the environment once, here (see README for every variable).

The embedded default needs no server: SQLite (WAL) and blobs under var/, Celery on a
filesystem broker under var/. DATABASE_URL moves the data to PostgreSQL and
CELERY_BROKER_URL the broker to Redis.
"""
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from mailcore.ldap.settings import DATABASE_ALIAS as LDAP_DATABASE_ALIAS
from mailcore.ldap.settings import read_ldap_settings

from .env import env_bool, env_int, env_list, env_networks, env_size, env_str, secret_from_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HOPTHU_VAR_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env_str("SECRET_KEY") or secret_from_file(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", False)

HOPTHU_HOSTNAME = env_str("HOPTHU_HOSTNAME", "mail.example.test")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", HOPTHU_HOSTNAME])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "mailcore.directory",
    "mailcore.store",
    "mailcore.auth.apps.AuthConfig",
    "mailcore.dkim",
    "mailcore.dnsguide.apps.DnsGuideConfig",
    "mailcore.relay.apps.RelayConfig",
    "mailcore.delivery.apps.DeliveryConfig",
    "mailcore.contacts.apps.ContactsConfig",
    "mailcore.audit.apps.AuditConfig",
    "mailcore.stats.apps.StatsConfig",
    "mailcore.sending_alerts.apps.SendingAlertsConfig",
    "mailcore.filters.apps.FiltersConfig",
    "mailcore.reports.apps.ReportsConfig",
    "mailcore.migration.apps.MigrationConfig",
    "mailcore.service",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here: no CDN (air-gapped installs)
    "mailcore.backup.apps.BackupConfig",
    "panel",
    "webmail",
]

MIDDLEWARE = [
    "panel.service_hosts.ServiceHostMiddleware",  # autoconfig./autodiscover./mta-sts.<domain>
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "webmail.middleware.UserPreferencesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "webmail.sidebar.context",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hopthu.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing on lock upgrade.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Each mail-core I/O thread keeps its connection: opening one (and its PRAGMAs)
            # per protocol step cost more than the step itself.
            "CONN_MAX_AGE": env_int("HOPTHU_DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            # A file, not :memory:, so tests can run several processes on one database.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
# The company directory (docs/ldap.md): None unless HOPTHU_LDAP_URL is set; then a second
# database alias, `ldap`, that only the directory models use (mailcore/ldap/router.py).
HOPTHU_LDAP = read_ldap_settings(os.environ)
if HOPTHU_LDAP is not None:
    DATABASES[LDAP_DATABASE_ALIAS] = HOPTHU_LDAP.database()
DATABASE_ROUTERS = ["mailcore.ldap.router.DirectoryRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("HOPTHU_MIN_PASSWORD_LENGTH", 10)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in (django-allauth; docs/webmail.md) ---------------------------------------
# Mail accounts sign in with their address and own password through mailcore.auth (the
# same lockouts as IMAP/SMTP); admins without a mailbox through StaffBackend.
AUTHENTICATION_BACKENDS = [
    "mailcore.auth.backend.MailAccountBackend",
    "mailcore.auth.backend.StaffBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"  # panel.views.root sends each role on
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "webmail.signin.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = None  # the user chooses "remember me"
# A changed password keeps this session and ends the others; a reset ends them all and
# revokes app passwords (webmail/signin/forms.py, docs/security.md).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {
    "change_password": "webmail.signin.forms.ChangePasswordForm",
    "reset_password_from_key": "webmail.signin.forms.ResetPasswordKeyForm",
}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Never mail "there is no account here" to whatever address is typed into the reset form.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# allauth's own limits sit in front of mailcore's lockouts (per IP and per login name).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "5/m/ip,3/5m/key"}
MFA_ADAPTER = "webmail.signin.adapter.MFAAdapter"  # TOTP and recovery seeds sealed at rest
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HopThu"
USERSESSIONS_TRACK_ACTIVITY = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Mail Django sends (password reset) goes through HopThu's own queue, not an SMTP hop.
EMAIL_BACKEND = "mailcore.delivery.django_mail.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"HopThu <postmaster@{HOPTHU_HOSTNAME}>")

# --- i18n, time ------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
# Our catalog first; then Vietnamese for django-allauth's pages, which ships none.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security --------------------------------------------------------------------------
# Behind TLS (the default for a mail server) cookies are secure; HOPTHU_SECURE_COOKIES=0
# only for a plain-HTTP development setup.
SECURE_COOKIES = env_bool("HOPTHU_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("HOPTHU_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOPTHU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("HOPTHU_SSL_REDIRECT", False)
# The TLS proxies in front (addresses, comma-separated; "1": one on 127.0.0.1). scripts/web
# has uvicorn believe their X-Forwarded-For and -Proto, and no one else's.
HOPTHU_BEHIND_PROXY = env_str("HOPTHU_BEHIND_PROXY", "")
if HOPTHU_BEHIND_PROXY.strip().lower() not in ("", "0", "false", "no", "off"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Celery ----------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # DESIGN.md: data_folder_in and _out are the same absolute folder; control is absolute.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
# What the nodes of a cluster count together live (connections per client address:
# mailcore/service/sharedconn.py); by default the broker's Redis. Empty: per process.
HOPTHU_REDIS_URL = env_str("HOPTHU_REDIS_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
CELERY_TASK_ACKS_LATE = True
# A task whose pool child dies (kill -9, OOM) is redelivered, not acknowledged.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The database holds the queue; beat only makes sure someone looks at it regularly.
CELERY_BEAT_SCHEDULE = {
    "migration-resume": {"task": "mailcore.migration.resume_stalled", "schedule": 60.0},
    "outbound-queue-sweep": {"task": "mailcore.delivery.deliver_remote", "schedule": 60.0},
    # Scheduled send leaves within 30 s of its time even when its own task was lost.
    "scheduled-send-sweep": {"task": "mailcore.smtp.send_scheduled",
                             "schedule": float(env_int("HOPTHU_SCHEDULED_SWEEP_SECONDS", 10))},
    # Message bodies nothing refers to any more (expunged, cancelled, bounced).
    "store-garbage": {"task": "mailcore.store.collect_garbage", "schedule": 3600.0},
    # Recoverable mail past HOPTHU_RECOVERY_DAYS; its bodies go with the next collection.
    "store-recovery-purge": {"task": "mailcore.store.purge_recoverable", "schedule": 3600.0},
    "dkim-prune": {"task": "mailcore.dkim.prune", "schedule": 86400.0},
    # The last DNS check of each domain, which the panel's dashboard warns from.
    "dns-check": {"task": "mailcore.dnsguide.check_all", "schedule": 86400.0},
    "audit-prune": {"task": "mailcore.audit.prune", "schedule": 86400.0},
    "quarantine-expire": {"task": "mailcore.filters.expire_quarantine", "schedule": 3600.0},
    "greylist-expire": {"task": "mailcore.filters.expire_greylist", "schedule": 3600.0},
    # Lockouts and rate-limit windows (refused-RCPT counts among them) past their time.
    "auth-purge": {"task": "mailcore.auth.purge_expired", "schedule": 3600.0},
    # The daily full backup into HOPTHU_BACKUP_DIR, then retention (docs/backup.md).
    "backup-daily": {"task": "mailcore.backup.daily",
                     "schedule": crontab(hour=env_int("HOPTHU_BACKUP_HOUR", 3), minute=0)},
    # Yesterday's (UTC) TLS reports (RFC 8460 §4); hourly, a day already sent is skipped.
    "tlsrpt-send": {"task": "mailcore.reports.send_tls_reports", "schedule": 3600.0},
    # Sending alerts' hourly counts past 14 days and sign-in networks past 30 (docs/sending-alerts.md).
    "sending-alerts-prune": {"task": "mailcore.sending_alerts.prune", "schedule": 86400.0},
}
if HOPTHU_LDAP is not None and HOPTHU_LDAP.sync_seconds:  # docs/ldap.md
    CELERY_BEAT_SCHEDULE["ldap-sync"] = {"task": "mailcore.ldap.sync", "schedule": float(HOPTHU_LDAP.sync_seconds)}

# --- Mail core -------------------------------------------------------------------------
HOPTHU_BLOB_DIR = Path(env_str("HOPTHU_BLOB_DIR", str(VAR_DIR / "blobs"))).resolve()
# Where message bodies live: "filesystem" (HOPTHU_BLOB_DIR; a shared mount for a cluster) or
# "postgres" (in the database itself: a cluster needs no shared disk; docs/deploy.md).
HOPTHU_BLOB_STORE = env_str("HOPTHU_BLOB_STORE", "filesystem")
HOPTHU_DEFAULT_QUOTA = env_size("HOPTHU_DEFAULT_QUOTA", 2 * 1024**3)
HOPTHU_MAX_MESSAGE_SIZE = env_size("HOPTHU_MAX_MESSAGE_SIZE", 50 * 1024**2)
# A webmail user's IMAP import may connect only to public addresses unless this is on:
# otherwise the import would let any user probe this machine's and its network's ports
# (docs/migration.md). Admins' jobs (panel, CLI) may use any address.
HOPTHU_IMPORT_PRIVATE_HOSTS = env_bool("HOPTHU_IMPORT_PRIVATE_HOSTS", False)
HOPTHU_TLS_CERT = Path(env_str("HOPTHU_TLS_CERT", str(VAR_DIR / "tls" / "cert.pem")))
HOPTHU_TLS_KEY = Path(env_str("HOPTHU_TLS_KEY", str(VAR_DIR / "tls" / "key.pem")))
HOPTHU_HEARTBEAT_SECONDS = env_int("HOPTHU_HEARTBEAT_SECONDS", 10)
HOPTHU_AUDIT_RETENTION_DAYS = env_int("HOPTHU_AUDIT_RETENTION_DAYS", 365)  # 0 keeps the audit log forever
HOPTHU_BLOB_GC_GRACE_SECONDS = env_int("HOPTHU_BLOB_GC_GRACE_SECONDS", 3600)
# Expunged and deleted mail stays recoverable this many days (docs/recovery.md); 0 keeps none.
HOPTHU_RECOVERY_DAYS = env_int("HOPTHU_RECOVERY_DAYS", 14)
# Production ports; HOPTHU_DEV_PORTS=1 (the make run default) uses the unprivileged set.
HOPTHU_DEV_PORTS = env_bool("HOPTHU_DEV_PORTS", False)
_PORTS = {
    "smtp": (25, 2525), "submission": (587, 2587), "submissions": (465, 2465), "relay": (2525, 2526),
    "imap": (143, 2143), "imaps": (993, 2993), "pop3": (110, 2110), "pop3s": (995, 2995),
}
HOPTHU_PORTS = {
    name: env_int(f"HOPTHU_PORT_{name.upper()}", dev if HOPTHU_DEV_PORTS else prod)
    for name, (prod, dev) in _PORTS.items()
}
# Limits on one client of IMAP and POP3, per listener process (docs/imap.md). 50 connections
# per address: Thunderbird opens ~5 per account and a NAT'd office shares one address.
HOPTHU_MAX_CONNECTIONS_PER_IP = env_int("HOPTHU_MAX_CONNECTIONS_PER_IP", 50)  # 0: no limit
HOPTHU_MAX_CONNECTIONS = env_int("HOPTHU_MAX_CONNECTIONS", 0)  # 0: 3/4 of the open-files limit
HOPTHU_COMMANDS_PER_SECOND = env_int("HOPTHU_COMMANDS_PER_SECOND", 100)  # per session; 0: no limit
HOPTHU_COMMAND_BURST = env_int("HOPTHU_COMMAND_BURST", 500)  # commands at once before the rate applies
# A mail server serves the network; HOPTHU_LISTEN_ADDRESS narrows it.
HOPTHU_LISTEN_ADDRESS = env_str("HOPTHU_LISTEN_ADDRESS", "0.0.0.0")  # noqa: S104
HOPTHU_IO_THREADS = env_int("HOPTHU_IO_THREADS", 8)
# Processes serving the IMAP ports (SO_REUSEPORT): one per core, up to 4 (docs/imap.md)
HOPTHU_IMAP_PROCESSES = env_int("HOPTHU_IMAP_PROCESSES", min(os.cpu_count() or 1, 4))
# The largest IMAP literal before login (LOGIN, ID): long passwords fit (docs/security.md)
HOPTHU_IMAP_MAX_LITERAL_BEFORE_LOGIN = env_size("HOPTHU_IMAP_MAX_LITERAL_BEFORE_LOGIN", 8 * 1024)
# SMTP
HOPTHU_SMTP_TIMEOUT = env_int("HOPTHU_SMTP_TIMEOUT", 300)  # RFC 5321 §4.5.3.2.7: at least 5 minutes
HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP = env_int("HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP", 50)  # 0: no limit
# AUTH without TLS from 127.0.0.1: off by default, since a TLS proxy or a local process
# on the same host would pass for "secure"; `make run` (scripts/serve) turns it on.
HOPTHU_LOOPBACK_IS_SECURE = env_bool("HOPTHU_LOOPBACK_IS_SECURE", False)
# The TCP proxies / load balancers in front of the mail listeners (CIDRs, comma-separated;
# empty: off). Their connections begin with a PROXY protocol header (v1 or v2) naming the
# real client; anyone else's may not (mailcore/service/proxied.py, docs/security.md).
HOPTHU_PROXY_NETWORKS = env_networks("HOPTHU_PROXY_NETWORKS")
HOPTHU_PROXY_TIMEOUT = env_int("HOPTHU_PROXY_TIMEOUT", 5)  # seconds for a proxy to send its header
HOPTHU_QUEUE_LIFETIME_SECONDS = env_int("HOPTHU_QUEUE_LIFETIME_SECONDS", 5 * 86400)
HOPTHU_DELIVERY_SWEEP_SECONDS = env_int("HOPTHU_DELIVERY_SWEEP_SECONDS", 5)
# Local delivery in its own process (a second core) or in the mail core's thread pool.
HOPTHU_DELIVERY_PROCESS = env_bool("HOPTHU_DELIVERY_PROCESS", True)
# Delivery pipeline plug-ins (dotted paths): the filter stage and the rules hooks.
HOPTHU_FILTERS = tuple(env_list("HOPTHU_FILTERS", []))
HOPTHU_RULE_HOOKS = tuple(env_list("HOPTHU_RULE_HOOKS", []))
# Cross-node notices of store changes (IDLE, NOTIFY, webmail): "auto" = PostgreSQL's
# LISTEN/NOTIFY when DATABASE_URL is PostgreSQL, none on SQLite; "off" (docs/deploy.md).
HOPTHU_STORE_NOTICES = env_str("HOPTHU_STORE_NOTICES", "auto")
HOPTHU_DIRECTORY_CACHE_SECONDS = env_int("HOPTHU_DIRECTORY_CACHE_SECONDS", 5)  # hosted-domain answers
# Virus and spam engines (docs/filters.md).
# clamd: "auto" = a clamd socket found on this machine (HOPTHU_CLAMD_SEARCH), "host:port",
# a socket path, or "off" (mailcore/filters/clamav.py).
HOPTHU_CLAMD = env_str("HOPTHU_CLAMD", "auto")
# Where "auto" looks, in order: a clamd.conf (its LocalSocket) or a socket (Debian's clamav-daemon).
HOPTHU_CLAMD_SEARCH = env_list("HOPTHU_CLAMD_SEARCH", ["/etc/clamav/clamd.conf", "/run/clamav/clamd.ctl"])
HOPTHU_CLAMD_TIMEOUT = env_int("HOPTHU_CLAMD_TIMEOUT", 30)
HOPTHU_RSPAMD_URL = env_str("HOPTHU_RSPAMD_URL", "")  # e.g. "http://127.0.0.1:11333"
HOPTHU_RSPAMD_CONTROLLER_URL = env_str("HOPTHU_RSPAMD_CONTROLLER_URL", "")  # "" = learning not forwarded
HOPTHU_RSPAMD_PASSWORD = env_str("HOPTHU_RSPAMD_PASSWORD", "")  # the controller's enable_password
HOPTHU_RSPAMD_TIMEOUT = env_int("HOPTHU_RSPAMD_TIMEOUT", 15)
# Spam filtering (docs/filters.md).
HOPTHU_DNSBL_ZONES = env_str("HOPTHU_DNSBL_ZONES", "")  # "zen.spamhaus.org:6,bl.spamcop.net:3"; "" = none
HOPTHU_GREYLIST_DELAY_SECONDS = env_int("HOPTHU_GREYLIST_DELAY_SECONDS", 300)
HOPTHU_GREYLIST_RETRY_WINDOW_SECONDS = env_int("HOPTHU_GREYLIST_RETRY_WINDOW_SECONDS", 2 * 86400)
HOPTHU_GREYLIST_KEEP_DAYS = env_int("HOPTHU_GREYLIST_KEEP_DAYS", 35)
HOPTHU_GREYLIST_ALLOW_NETWORKS = env_list("HOPTHU_GREYLIST_ALLOW_NETWORKS", [])
HOPTHU_PUBLIC_IPV4 = env_str("HOPTHU_PUBLIC_IPV4", "")  # comma-separated; the mail host's A records (docs/dns.md)
HOPTHU_PUBLIC_IPV6 = env_str("HOPTHU_PUBLIC_IPV6", "")  # empty: no IPv6 mail
HOPTHU_MTA_STS_MODE = env_str("HOPTHU_MTA_STS_MODE", "testing")  # testing | enforce | none (RFC 8461 §5)
HOPTHU_MTA_STS_MAX_AGE = env_int("HOPTHU_MTA_STS_MAX_AGE", 604800)  # seconds; at most 31557600
# The host mail clients connect to; empty: HOPTHU_HOSTNAME (docs/clients.md).
HOPTHU_CLIENT_HOSTNAME = env_str("HOPTHU_CLIENT_HOSTNAME", "")
HOPTHU_SIGN_PROFILES = env_bool("HOPTHU_SIGN_PROFILES", True)  # sign Apple profiles with the TLS certificate
HOPTHU_SRS_DOMAIN = env_str("HOPTHU_SRS_DOMAIN", "")  # empty: HOPTHU_HOSTNAME
HOPTHU_SRS_SECRET = env_str("HOPTHU_SRS_SECRET", "")  # empty: derived from SECRET_KEY
# Forwarding (docs/security.md, "Forwarding and SRS"): targets per account forward or rule,
# and forwarded copies per account and per domain in any hour (over it: deferred; 0: no limit).
HOPTHU_MAX_FORWARD_TARGETS = env_int("HOPTHU_MAX_FORWARD_TARGETS", 10)
HOPTHU_FORWARD_RATE_PER_HOUR = env_int("HOPTHU_FORWARD_RATE_PER_HOUR", 300)
HOPTHU_DOMAIN_FORWARD_RATE_PER_HOUR = env_int("HOPTHU_DOMAIN_FORWARD_RATE_PER_HOUR", 3000)
# Refused RCPTs from one client address (a guesser): past this many within the window each
# further refusal is answered more slowly, and past twice as many the session ends with 421.
HOPTHU_SMTP_MAX_REFUSED_RCPTS = env_int("HOPTHU_SMTP_MAX_REFUSED_RCPTS", 10)  # 0: no limit
HOPTHU_SMTP_REFUSED_RCPT_WINDOW_SECONDS = env_int("HOPTHU_SMTP_REFUSED_RCPT_WINDOW_SECONDS", 600)
HOPTHU_SMTP_TARPIT_SECONDS = env_int("HOPTHU_SMTP_TARPIT_SECONDS", 1)  # per refusal past the limit
HOPTHU_SMTP_TARPIT_MAX_SECONDS = env_int("HOPTHU_SMTP_TARPIT_MAX_SECONDS", 10)
# Refuse mail failing DMARC when the From domain publishes p=reject (docs/inbound-checks.md)
HOPTHU_DMARC_REJECT = env_bool("HOPTHU_DMARC_REJECT", True)  # the default of a new domain's dmarc_reject
# Who gets postmaster mail when no account or alias is called postmaster (docs/smtp.md);
# empty: the first superuser's mailbox, else the domain's oldest account.
HOPTHU_POSTMASTER = env_str("HOPTHU_POSTMASTER", "")
# Logins (docs/auth.md)
HOPTHU_AUTH_MAX_FAILURES = env_int("HOPTHU_AUTH_MAX_FAILURES", 10)  # per login name; 0: never lock
HOPTHU_AUTH_MAX_FAILURES_PER_IP = env_int("HOPTHU_AUTH_MAX_FAILURES_PER_IP", 20)  # 0: never lock
HOPTHU_AUTH_FAILURE_WINDOW_SECONDS = env_int("HOPTHU_AUTH_FAILURE_WINDOW_SECONDS", 900)
HOPTHU_AUTH_LOCKOUT_SECONDS = env_int("HOPTHU_AUTH_LOCKOUT_SECONDS", 900)
HOPTHU_AUTH_MAX_DELAY_SECONDS = env_int("HOPTHU_AUTH_MAX_DELAY_SECONDS", 5)
HOPTHU_AUTH_CACHE_SECONDS = env_int("HOPTHU_AUTH_CACHE_SECONDS", 60)  # 0: no cache
# The LDAP bind DN may change passwords and add users (docs/ldap.md, "Authentication").
HOPTHU_LDAP_WRITABLE = env_bool("HOPTHU_LDAP_WRITABLE", False)
HOPTHU_SEND_RATE_PER_HOUR = env_int("HOPTHU_SEND_RATE_PER_HOUR", 500)  # 0: unlimited
# The relay port for applications and devices (docs/relay.md): a new grant's messages per hour
HOPTHU_RELAY_RATE_PER_HOUR = env_int("HOPTHU_RELAY_RATE_PER_HOUR", 1000)  # 0: unlimited
# Outbound delivery and DKIM (docs/outbound.md)
HOPTHU_OUTBOUND_PORT = env_int("HOPTHU_OUTBOUND_PORT", 25)
HOPTHU_OUTBOUND_TLS = env_str("HOPTHU_OUTBOUND_TLS", "may")  # may | encrypt | none
HOPTHU_OUTBOUND_TIMEOUT = env_int("HOPTHU_OUTBOUND_TIMEOUT", 60)
HOPTHU_OUTBOUND_IPV6 = env_bool("HOPTHU_OUTBOUND_IPV6", True)
# Certificates of MX and MTA-STS policy hosts are checked against these CAs (a PEM file);
# empty: the system's. Checked only where a policy asks for it (MTA-STS enforce).
HOPTHU_OUTBOUND_CA_FILE = env_str("HOPTHU_OUTBOUND_CA_FILE", "")
# Outbound MTA-STS (RFC 8461): on by default; the port and timeout of policy fetches.
HOPTHU_MTA_STS = env_bool("HOPTHU_MTA_STS", True)
HOPTHU_MTA_STS_PORT = env_int("HOPTHU_MTA_STS_PORT", 443)
HOPTHU_MTA_STS_TIMEOUT = env_int("HOPTHU_MTA_STS_TIMEOUT", 10)
# TLS-RPT (RFC 8460): count outbound TLS sessions and send daily reports (docs/reports.md).
HOPTHU_TLSRPT = env_bool("HOPTHU_TLSRPT", True)
HOPTHU_TLSRPT_ORGANIZATION = env_str("HOPTHU_TLSRPT_ORGANIZATION", "")  # empty: HOPTHU_HOSTNAME
HOPTHU_TLSRPT_KEEP_DAYS = env_int("HOPTHU_TLSRPT_KEEP_DAYS", 14)
HOPTHU_DKIM_DIR = Path(env_str("HOPTHU_DKIM_DIR", str(VAR_DIR / "dkim"))).resolve()
HOPTHU_DKIM_AUTOCREATE = env_bool("HOPTHU_DKIM_AUTOCREATE", True)
HOPTHU_DKIM_GRACE_DAYS = env_int("HOPTHU_DKIM_GRACE_DAYS", 14)
# Backups (docs/backup.md): where the daily full backup goes, how many are kept, and the
# passphrase that encrypts archives (empty: not encrypted; keep it somewhere else too).
HOPTHU_BACKUP_DIR = Path(env_str("HOPTHU_BACKUP_DIR", str(VAR_DIR / "backups"))).resolve()
HOPTHU_BACKUP_KEY = env_str("HOPTHU_BACKUP_KEY", "")
HOPTHU_BACKUP_KEEP_DAILY = env_int("HOPTHU_BACKUP_KEEP_DAILY", 7)
HOPTHU_BACKUP_KEEP_WEEKLY = env_int("HOPTHU_BACKUP_KEEP_WEEKLY", 4)
HOPTHU_DSN_MAX_ORIGINAL = env_size("HOPTHU_DSN_MAX_ORIGINAL", 64 * 1024)
# DNS servers for MX, SPF, DKIM and DMARC lookups ("host[:port],..."); empty: resolv.conf.
HOPTHU_DNS_SERVERS = env_str("HOPTHU_DNS_SERVERS", "")
HOPTHU_DNS_TIMEOUT = env_int("HOPTHU_DNS_TIMEOUT", 5)

# The REST API under /api/v1/ (docs/api.md): bearer tokens made in the panel, only JSON,
# errors as RFC 9457 problem documents, a rate limit per token.
HOPTHU_API_RATE_PER_MINUTE = env_int("HOPTHU_API_RATE_PER_MINUTE", 120)  # per token; 0: unlimited
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["panel.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["panel.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS describes nothing: the OpenAPI document does
    "DEFAULT_PAGINATION_CLASS": "panel.api.pagination.Pages",
    "EXCEPTION_HANDLER": "panel.api.problems.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HopThu API",
    "DESCRIPTION": "Domains, accounts, aliases and the mail server's state, for scripts. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},  # no call to swagger.io's validator
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "panel.api.problems.document_problems"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # aiosmtpd's "mail.log" logs every command line at INFO, AUTH credentials included.
    "loggers": {"django.db.backends": {"level": "INFO"}, "mail.log": {"level": "WARNING"}},
}
