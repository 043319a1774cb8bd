"""The Jiangxin application: `create_app(config)` builds it; `app` is the default instance.

`flask --app app ...` and `gunicorn app:app` find the module-level `app`, which is built lazily on
first access so that importing this module does no work.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from babel import Locale
from flask import Flask, g, has_request_context, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import load_config
from core import connections, templating
from core.l10n import lazy_gettext as _l
from extensions import babel, bootstrap, csrf, limiter, login_manager, migrate
from logs import init_logging
from models import db
from services.common import audit
from services.errors import NotAllowed, NotFound

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = templating.GlobalsAsDictEnvironment  # globals as a dict (core/templating.py)
    app.config.update(load_config(app.instance_path, config))
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    init_logging(app)
    db.init_app(app)
    connections.install()  # PostgreSQL: reads outside transactions, idle-only pings (core/connections.py)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    _init_fast_catalog()
    limiter.init_app(app)
    bootstrap.init_app(app)
    _init_login(app)

    from blueprints import register_blueprints

    register_blueprints(app)
    _init_request_hooks(app)
    _init_form_translations(app)
    if app.config["BENCH_QUERY_COUNT"]:
        _init_query_count(app)
    _init_error_pages(app)
    _init_templates(app)
    _init_template_gettext(app)

    from cli import register_commands

    register_commands(app)
    if app.config["RUN_SCHEDULER"] and not app.config.get("TESTING"):
        from services.jobs.scheduler import start_thread

        start_thread(app, app.config["SCHEDULER_INTERVAL_SECONDS"])
    return app


_LOCALES: dict[str, Locale] = {}


def _select_locale() -> Locale:
    """The reader's language: the `lang` cookie when it names one of LANGUAGES, else the default. A Babel
    Locale parsed once per process and code (Flask-Babel parses a returned string on every request)."""
    from flask import current_app, has_request_context

    code = current_app.config["BABEL_DEFAULT_LOCALE"]
    if has_request_context():  # CLI commands and tests outside a request: the default locale
        chosen = request.cookies.get("lang")
        if chosen in current_app.config["LANGUAGES"]:
            code = chosen
    found = _LOCALES.get(code)
    if found is None:
        found = _LOCALES.setdefault(code, Locale.parse(code))
    return found


def _init_login(app: Flask) -> None:
    from services.accounts.authentication import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait on locks instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def _init_request_hooks(app: Flask) -> None:
    @app.before_request
    def remember_client():
        audit.set_client_ip(request.remote_addr)

    @app.before_request
    def force_password_change():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in {"auth.password", "auth.logout", "auth.language", "static",
                                         "bootstrap.static", "home.healthz"}
        ):
            from flask import redirect, url_for

            return redirect(url_for("auth.password"))
        return None

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # A logged-in reader's pages are never stored, unless the view keeps its answer for this reader
        # only ("private": the report's charts under an address that changes with the data version).
        personal = current_user.is_authenticated and not request.path.startswith(("/static/", "/bootstrap/"))
        if personal and not headers.get("Cache-Control", "").startswith("private"):
            headers["Cache-Control"] = "no-store"
        return response


def _init_fast_catalog() -> None:
    """Flask-Babel's default domain translates from the request's catalog (core.l10n): `_l` labels
    (LazyString -> flask_babel.gettext -> the default domain) skip its per-call locale and cache-key
    work. The domain object is the Babel extension's (one per process), like the one it replaces."""
    from core.l10n import RequestCatalogDomain

    if not isinstance(babel.__dict__.get("domain_instance"), RequestCatalogDomain):  # a cached_property
        babel.domain_instance = RequestCatalogDomain(domain="messages")


_WTFORMS_CATALOGS: dict = {}


def _init_form_translations(app: Flask) -> None:
    """WTForms' own messages ("This field is required." ...) in the reader's language, loaded once per
    process and locale. Flask-WTF reads that catalog from disk on every request that builds a form
    unless `request.wtforms_translations` is set (flask_wtf/i18n.py): this sets it from the process-wide
    copy (a loaded catalog is only read afterwards, so threads may share it)."""
    from babel import support
    from flask_babel import get_locale
    from wtforms.i18n import messages_path

    @app.before_request
    def form_translations():
        locale = get_locale()
        catalog = _WTFORMS_CATALOGS.get(str(locale))
        if catalog is None:
            catalog = _WTFORMS_CATALOGS[str(locale)] = support.Translations.load(
                messages_path(), [locale], domain="wtforms")
        request.wtforms_translations = catalog


def _init_query_count(app: Flask) -> None:
    """BENCH_QUERY_COUNT (`make bench` only): every answer carries X-Query-Count, the number of SQL
    statements the request sent, counted on `g` by a listener on this app's engine."""
    from flask import has_app_context

    def count_statement(*_args) -> None:
        if has_app_context():
            g.query_count = g.get("query_count", 0) + 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count_statement)

    @app.after_request
    def query_count_header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response


def _init_error_pages(app: Flask) -> None:
    def page(code: int, title, message, back: str | None = None):
        return render_template("errors/error.html", code=code, title=title, message=message,
                               request_id=g.get("request_id"), back=back), code

    @app.errorhandler(400)
    def bad_request(_error):
        return page(400, _l("请求有误"), _l("提交的内容无法处理，请返回重试。"))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return page(400, _l("页面已过期"), _l("页面已过期或来源不明，请刷新页面后重新提交。"))

    @app.errorhandler(403)
    @app.errorhandler(NotAllowed)
    def forbidden(_error):
        return page(403, _l("没有权限"), _l("您的账号没有访问这个页面的权限。"))

    @app.errorhandler(404)
    @app.errorhandler(NotFound)
    def not_found(_error):
        return page(404, _l("页面不存在"), _l("找不到您要的页面或记录，它可能不存在或您无权查看。"))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page(405, _l("请求方式不正确"), _l("这个地址不接受这种请求方式。"))

    @app.errorhandler(413)
    def too_large(_error):
        # The body is not read, so the form cannot be shown again from it: the page leads back to the
        # form in the browser's history, where what was typed is still there (static/js/app.js).
        from urllib.parse import urlsplit

        from blueprints.common import is_safe_next

        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        referrer = request.referrer or ""
        back = urlsplit(referrer)._replace(scheme="", netloc="").geturl() if referrer else None
        same_site = referrer.startswith(request.host_url) and is_safe_next(back)
        return page(413, _l("文件太大"), _l("上传的内容超过了 %(mb)d MB 的上限，什么也没有保存。请返回表单，"
                                         "换小一些的文件（或分几次上传）；已填写的文字仍在表单里。", mb=limit_mb),
                    back=back if same_site else None)

    from blueprints.common import answer_replay
    from services.common.once import FormReplayed

    app.register_error_handler(FormReplayed, answer_replay)

    @app.errorhandler(429)
    def too_many(error):
        seconds = _seconds_until_allowed(error)
        wait = _l("%(n)d 分钟", n=math.ceil(seconds / 60)) if seconds >= 60 else _l("%(n)d 秒", n=seconds)
        body, code = page(429, _l("操作太频繁"),
                          _l("尝试次数过多，为保护账号安全已暂时限制，请 %(wait)s后再试。", wait=wait))
        return body, code, {"Retry-After": str(seconds)}

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return page(500, _l("系统出错了"), _l("服务器遇到问题，已记录。请稍后再试。"))


def _seconds_until_allowed(error) -> int:
    """How long until the breached limit lets the next try through: the limit's own window as counted
    by Flask-Limiter (its storage), else the full period of the configured limit (e.g. 15 minutes for
    "5 per 15 minutes")."""
    current = limiter.current_limit
    if current is not None and current.breached:
        return max(1, math.ceil(current.window[0] - time.time()))
    limit = getattr(getattr(error, "limit", None), "limit", None)
    return int(limit.get_expiry()) if limit is not None else 60


def _unread_messages() -> int:
    """The unread badge of the navigation: one indexed count per page, for logged-in people only."""
    if not current_user.is_authenticated or "unread_messages" in g:
        return g.get("unread_messages", 0)
    from services.messages import inbox

    counted = current_user.unread_at_load  # counted when the user was loaded; None after a commit
    g.unread_messages = counted if counted is not None else inbox.unread_count(current_user)
    return g.unread_messages


def _init_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from core.l10n import format_date, format_number, shown_datetime
    from core.templating import join_blocks, kept_markup, kept_with_slots, pager_key, remembered_url_for, url_pattern
    from models import Role
    from models.accounts import ROLE_LABELS
    from models.skills import level
    from services import policy
    from services.accounts import policy as accounts_policy

    join_blocks(app.jinja_env)  # a block's text is yielded joined, not piece by piece (core/templating.py)
    app.jinja_env.globals["url_pattern"] = url_pattern  # a list's per-row link: pattern % row.id
    app.jinja_env.globals["url_for"] = remembered_url_for(app)  # the navigation's links built once per process
    app.jinja_env.globals["kept"] = kept_markup()  # fragments that depend on their key only (the sections)
    app.jinja_env.globals["filled"] = kept_with_slots()  # ... and on a few plain values (the account menu)
    app.jinja_env.globals["pager_key"] = pager_key  # what a numbered pager depends on (kept, _macros/ui.html)
    # The navigation's language and logout forms carry only the CSRF token (templates/_macros/nav.html
    # renders it with csrf_token()): no form object is built per page; blueprints.auth's LanguageForm
    # and LogoutForm check what is posted.
    @app.context_processor
    def globals_for_templates():
        return {
            "unread_messages": _unread_messages(),
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }

    # Every refused form is summed up at the top of the page (templates/base.html), linking to its
    # fields: on a phone the field may be far below the fold or under the bottom tab bar.
    from flask import before_render_template

    from blueprints.forms import error_summary

    def sum_up_form_errors(_sender, template, context, **_extra):
        context.setdefault("form_error_summary", error_summary(list(context.values())))

    before_render_template.connect(sum_up_form_errors, app, weak=False)

    # Globals (not a context processor) so imported macros see them too.
    from services.jobs import queue as jobs_queue
    from services.messages import inbox

    app.jinja_env.globals.update(job_message=jobs_queue.message_of, job_kind_label=jobs_queue.kind_label,
                                 message_subject=inbox.subject_of, message_body=inbox.body_of)
    app.jinja_env.globals.update(policy=policy, Role=Role, ROLE_LABELS=ROLE_LABELS,
                                 skill_label=lambda rank: level(rank) or "—")
    # `policy` is the union's tree (is_admin, is_hr, ...); `accounts_policy` who may see or manage people.
    app.jinja_env.globals.update(accounts_policy=accounts_policy)
    from flask_login import current_user

    # A person's ID-card number as the reader may see it (the one rule: accounts_policy.shown_id_card).
    app.jinja_env.globals.update(id_card_shown=lambda person: accounts_policy.shown_id_card(current_user, person))
    from services.accounts.employment import leave_date

    # A person's leave date (离职日期): their employment record's ended_on.
    app.jinja_env.globals.update(leave_date_of=leave_date)
    from services.common import notices

    # Who files and who resolves a notice's objections (services.common.notices: the owner resolves, never files).
    app.jinja_env.globals.update(may_object=lambda notice: notices.may_object(current_user, notice),
                                 notice_owner=lambda notice: notices.is_owner(current_user, notice))
    from services.common.i18n import stored_text

    app.jinja_env.filters["stored_text"] = stored_text
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""

    app.jinja_env.filters["datetime"] = shown_datetime  # English reads "20 Nov 2026, 09:30" (core/l10n.py)
    from models.vocabulary import prize_label

    app.jinja_env.filters["prize_label"] = prize_label
    # A mark with two decimals, "—" when there is none (score sheets: one per cell).
    # "%.2f" as the macro had it (through float), not format(): Decimal rounds differently.
    app.jinja_env.filters["mark"] = lambda value: "—" if value is None else "%.2f" % value  # noqa: UP031
    from models.honours import HIGHER_PRIZE_LABELS

    app.jinja_env.filters["higher_prize_label"] = lambda code: HIGHER_PRIZE_LABELS.get(code, code) if code else ""
    app.jinja_env.filters["number"] = lambda value: format_number(value) if value is not None else ""
    from services.common.verification import grouped

    # Verification codes as printed (K7Q4-M9XP-3RTW), marked translate="no": a code is not a word of the
    # page's language (a code of letters only reads as English to a translator or a screen reader).
    def code_markup(code: str) -> Markup:
        return Markup('<span class="font-monospace" translate="no">%s</span>') % code

    app.jinja_env.filters["grouped_code"] = lambda code: code_markup(grouped(code)) if code else ""
    # A sentence that names a code ("证书编号 K7Q4-…"): escaped, with the code marked as grouped_code does.
    app.jinja_env.filters["with_code"] = lambda text, code: (
        Markup(code_markup(code)).join(escape(part) for part in text.split(code)) if code and code in text
        else escape(text))
    # A deadline shown to a judge or an officer says 已逾期 once it has passed (the controllable clock:
    # a date against today in Asia/Shanghai, a time against now); templates/_macros/ui.html deadline.
    from datetime import date as date_type
    from datetime import datetime as datetime_type

    from core import clock

    def overdue(value) -> bool:
        if isinstance(value, datetime_type):
            return value < clock.now()
        if isinstance(value, date_type):
            return value < clock.today()
        return False

    app.jinja_env.globals["overdue"] = overdue
    # WeChat's in-app browser (User-Agent "MicroMessenger") often cannot save files: pages offering a
    # PDF show how to open them in the phone's browser (templates/_macros/ui.html wechat_hint).
    app.jinja_env.globals["in_wechat"] = lambda: has_request_context() and "MicroMessenger" in (
        request.headers.get("User-Agent") or "")


def _init_template_gettext(app: Flask) -> None:
    """`_()` / `gettext()` in templates: what jinja2.ext.i18n's new-style gettext does over Flask-Babel
    (translate, Markup when autoescaping, then `% variables`), in one plain call. Flask-Babel's path
    (three calls through Jinja's context, then domain, locale and str(locale) for its cache key, each
    through `g`) costs about 13 µs per string, and a table page says a few hundred (a data-label on
    every cell). Here the request's catalog comes from core.l10n.request_catalog (kept on `g` while
    Flask-Babel's locale of the request is the same object; force_locale or refresh() puts another
    object there, or none, which looks the catalog up again). Lazy labels (`_l`) take the same path:
    core.l10n.RequestCatalogDomain is Flask-Babel's default domain (installed in create_app)."""
    from jinja2 import pass_eval_context
    from markupsafe import Markup

    from core.l10n import request_catalog as catalog
    from core.memo import keep
    from core.templating import format_markup

    texts: dict = {}  # (catalog, string, autoescape) -> the text of `_(string)` without variables

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        found = catalog()
        if not variables:  # a label: translated once per catalog (a list says the same few on every row)
            key = (found, string, eval_ctx.autoescape)
            text = texts.get(key)
            if text is None:
                text = found.ugettext(string)
                text = Markup(text) if eval_ctx.autoescape else text
                text = keep(texts, key, text % {} if "%" in text else text, 20000)
            return text
        text = found.ugettext(string)
        if eval_ctx.autoescape:
            if variables:  # Markup(text) % variables, formatted once (core.templating.format_markup)
                return format_markup(text, variables)
            text = Markup(text)
        # `text % {}` is the text itself unless it holds a "%" (then "%%" must become "%").
        return text % variables if variables or "%" in text else text

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = catalog().ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    app.jinja_env.template_gettext = gettext  # `_('literal')` calls it directly (core.templating.literal_text)


_default_app: Flask | None = None


def __getattr__(name: str):
    """`app`: the default instance, built on first use (for `flask --app app` and gunicorn), in a process
    whose collector is tuned for serving (core/gc_tuning.py)."""
    global _default_app
    if name == "app":
        if _default_app is None:
            from core.gc_tuning import tune_for_serving

            _default_app = create_app()
            tune_for_serving()
        return _default_app
    raise AttributeError(name)
