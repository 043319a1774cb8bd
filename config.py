"""Application configuration, read from environment variables with safe defaults.

`load_config(instance_path, overrides)` returns the mapping `create_app` applies. Tests pass their own
overrides; production sets the environment (see README, "Configuration").
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEFAULT_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
)


def _font_paths() -> list[str]:
    """PDF_FONT_PATHS (":"-separated), else CJK_FONT_PATH (if set) followed by the default Extension fonts."""
    listed = os.environ.get("PDF_FONT_PATHS")
    if listed:
        return [path for path in listed.split(":") if path]
    first = os.environ.get("CJK_FONT_PATH")
    return [first, *DEFAULT_FONT_PATHS[1:]] if first else list(DEFAULT_FONT_PATHS)


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'jiangxin.sqlite3'}"
    return normalize_database_url(url)


def normalize_database_url(url: str) -> str:
    """Heroku-style and plain PostgreSQL URLs both mean the psycopg 3 driver here."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


SQLITE_STATEMENTS_KEPT = 1000


def load_config(instance_path: str | Path, overrides: dict | None = None) -> dict:
    """Build the configuration mapping for one application instance."""
    instance_path = Path(instance_path)
    overrides = dict(overrides or {})
    secure = _env_bool("SESSION_COOKIE_SECURE", False)
    redis_url = os.environ.get("REDIS_URL") or None
    redis_prefix = os.environ.get("REDIS_PREFIX") or "jiangxin"
    config = {
        "SECRET_KEY": overrides.pop("SECRET_KEY", None) or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": overrides.pop("SQLALCHEMY_DATABASE_URI", None)
        or _database_url(instance_path),
        # query_cache_size: SQLAlchemy keeps the compiled SQL of this many statement shapes per process
        # (default 500); one request to each page of `make bench` already makes about 470, the whole app
        # more, and a shape compiled again costs a millisecond or more (docs/performance.md).
        # pool_use_lifo: the most recently used connection serves the next request, so PostgreSQL's
        # prepared statements (core/connections.py) are found on the few connections kept busy instead
        # of being prepared again on each connection of the pool in turn. No pool_pre_ping: a connection
        # is pinged only after it sat idle (core/connections.py), not before every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_use_lifo": True, "query_cache_size": 2000},
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(instance_path / "uploads")),
        # Requests larger than this are answered with the 413 page.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)),
        # Sessions: 12 hours, remember-me 14 days; cookies HttpOnly and SameSite=Lax always,
        # Secure when served over HTTPS (SESSION_COOKIE_SECURE=1 in production). The session cookie is
        # signed again only when the session changes (sign-in, a message after a form), not on every
        # response: 12 hours count from that change, and a page view costs no signing (~5 % of a page).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        # Redis: what app servers share (rate limits, the job queue, live job progress). Optional: without
        # it jobs run in threads of the app process and limits are counted per process.
        "REDIS_URL": redis_url,
        # Every key the app keeps in Redis (job queue, job progress, rate limits) starts with this, so that
        # several installations (staging and production, parallel test runs) can share one Redis.
        "REDIS_PREFIX": redis_prefix,
        # Rate limits (Flask-Limiter); shared between app servers through Redis in production.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", redis_url or "memory://"),
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        # The activation page (/activate, services.accounts.activation): wrong codes per phone and per IP.
        "ACTIVATION_LIMIT_PER_PHONE": os.environ.get("ACTIVATION_LIMIT_PER_PHONE", "5 per 15 minutes"),
        "ACTIVATION_LIMIT_PER_IP": os.environ.get("ACTIVATION_LIMIT_PER_IP", "30 per 15 minutes"),
        # Activation codes printed on activation slips (开通通知单) expire after this many days.
        "ACTIVATION_CODE_DAYS": int(os.environ.get("ACTIVATION_CODE_DAYS", "30")),
        # The version of the privacy notice (templates/auth/privacy_notice.html) people accept at
        # activation; change it with the text. Recorded on the account with the time of acceptance.
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-11b"),
        # The public certificate check (/verify), per client IP: codes cannot be found by trying.
        "VERIFY_LIMIT_PER_IP": os.environ.get("VERIFY_LIMIT_PER_IP", "60 per 15 minutes"),
        # Trust one reverse proxy's X-Forwarded-* headers (set to 0 when served directly).
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        # i18n: Simplified Chinese first, English second; times shown in Asia/Shanghai.
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": {"zh_Hans_CN": "简体中文", "en": "English"},
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BOOTSTRAP_BTN_STYLE": "primary",
        # Password policy (services.common.passwords): minimum length.
        "PASSWORD_MIN_LENGTH": int(os.environ.get("PASSWORD_MIN_LENGTH", "8")),
        # Page sizes of every paged list (blueprints.common.paginate): ordinary lists, and long tables
        # (rankings, registrations, the audit log) that people scan rather than read.
        "PAGE_SIZE": 20,
        "LONG_PAGE_SIZE": 50,
        # Logging (logs.py): JSON lines on stdout.
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # PDF fonts (services.common.pdf.fonts), in order of preference, separated by ":". Each run of text
        # takes the first font that has its glyphs: wqy-microhei for common text, then fonts-hanazono for the
        # CJK Extensions A and B (e.g. 𠮷 U+20BB7, 䶮 U+4DAE). CJK_FONT_PATH still names the first one.
        "PDF_FONT_PATHS": _font_paths(),
        # Background jobs (services.jobs): "rq" (Redis queue, `flask jobs-worker`), "thread" (in the app
        # process, for `make run`) or "inline" (tests). Files made by jobs are kept JOB_FILE_HOURS.
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND", "rq" if redis_url else "thread"),
        "JOB_THREADS": int(os.environ.get("JOB_THREADS", "2")),
        "JOB_FILE_HOURS": int(os.environ.get("JOB_FILE_HOURS", "24")),
        "JOB_TIMEOUT_SECONDS": int(os.environ.get("JOB_TIMEOUT_SECONDS", "1800")),
        # Periodic tasks (`flask tick`): RUN_SCHEDULER=1 runs them in a thread of the app (`make run`);
        # production runs `flask tick` from cron or a systemd timer instead.
        "RUN_SCHEDULER": _env_bool("RUN_SCHEDULER", False),
        "SCHEDULER_INTERVAL_SECONDS": int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "120")),
        # Days the old employer has to answer a transfer (调入) before it completes on the person's consent.
        "TRANSFER_ANSWER_DAYS": int(os.environ.get("TRANSFER_ANSWER_DAYS", "7")),
        # Training sign-in (services.training.signin): a scan this many minutes after the class's start is
        # late; a scan that had to log in first still counts when the login completes within
        # TRAINING_SCAN_CARRY_MINUTES of the scan; scans per client IP (a whole room may share one Wi-Fi).
        "TRAINING_LATE_MINUTES": int(os.environ.get("TRAINING_LATE_MINUTES", "10")),
        "TRAINING_SCAN_CARRY_MINUTES": int(os.environ.get("TRAINING_SCAN_CARRY_MINUTES", "5")),
        "TRAINING_SCAN_LIMIT_PER_IP": os.environ.get("TRAINING_SCAN_LIMIT_PER_IP", "300 per 5 minutes"),
        # The address people reach the platform at (e.g. https://jx.example.cn), for every address printed
        # or sent outside (certificate QR codes, activation slips, links in e-mails): services.common.urls.
        # PUBLIC_URL is the older name, still read.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", ""),  # the older name of PUBLIC_BASE_URL
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session (12 hours)
        # `make bench` only: answer every request with X-Query-Count (SQL statements it sent).
        "BENCH_QUERY_COUNT": _env_bool("BENCH_QUERY_COUNT", False),
    }
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite: Python's sqlite3 keeps 128 prepared statements per connection; the app sends several
        # hundred distinct ones, so mixed traffic would prepare most statements again on every use.
        config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] = {"cached_statements": SQLITE_STATEMENTS_KEPT}
    config.update(overrides)
    return config
