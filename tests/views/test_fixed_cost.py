"""The fixed cost of every page (issue 10): what the frame of a logged-in page does besides the page's
own work, counted, not timed. The session user comes in one statement with its roles and enterprise,
the navigation builds no form, no catalog is read from disk per request, and `_()` in templates
translates in the request's locale (force_locale inside a request too)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import flask_wtf
import hypothesis
import pytest
from babel import support
from flask import render_template_string
from flask_babel import force_locale
from hypothesis import strategies
from markupsafe import escape as markupsafe_escape

from models import Role, db
from services.accounts.authentication import load_session_user
from tests.querycount import count_queries


def test_session_user_is_one_statement_with_roles_and_enterprise(world):
    session_id = world.judge.get_id()
    db.session.expunge_all()
    with count_queries() as q:
        user = load_session_user(session_id)
        assert user.has_role(Role.JUDGE) and not user.has_role(Role.ADMIN, Role.HR)
        assert user.enterprise.name == "乙纺织有限公司"
        assert user.roles == {Role.JUDGE}
    assert q.count == 1, q.statements


@pytest.fixture
def counted(monkeypatch):
    """How many FlaskForms are built and catalogs loaded from disk while the block runs."""
    counts = {"forms": 0, "catalogs": 0}
    form_init = flask_wtf.FlaskForm.__init__
    load = support.Translations.load.__func__

    def counting_init(self, *args, **kwargs):
        counts["forms"] += 1
        form_init(self, *args, **kwargs)

    def counting_load(cls, *args, **kwargs):
        counts["catalogs"] += 1
        return load(cls, *args, **kwargs)

    monkeypatch.setattr(flask_wtf.FlaskForm, "__init__", counting_init)
    monkeypatch.setattr(support.Translations, "load", classmethod(counting_load))
    return counts


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_frame_of_a_logged_in_page_is_two_statements_no_form_no_catalog(client, login, world, counted, lang):
    login(client, world.judge)
    client.set_cookie("lang", lang)
    assert client.get("/competitions/judging").status_code == 200  # warm: catalogs of this locale loaded once
    counted.update(forms=0, catalogs=0)
    with count_queries() as q:
        page = client.get("/competitions/judging")
    assert page.status_code == 200
    # The session user (roles, enterprise joined, the unread badge's count as a subquery), and the page's
    # own list.
    assert q.count == 2, q.statements
    assert "read_at IS NULL" in q.statements[0]
    assert counted == {"forms": 0, "catalogs": 0}
    html = page.get_data(as_text=True)
    assert 'name="csrf_token" type="hidden" value="' in html  # language and logout forms still post a token
    assert ("退出登录" in html) == (lang != "en") and ("Sign out" in html) == (lang == "en")


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_navigation_token_is_accepted_by_the_language_and_logout_forms(client, login, world, csrf_on):
    login(client, world.worker_a)
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">', html).group(1)
    changed = client.post("/language", data={"csrf_token": token, "lang": "en", "next": "/"})
    assert changed.status_code == 302
    assert "Sign out" in client.get("/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302  # logged out: to the login page


def test_the_locale_and_the_static_tags_are_made_once_per_process(client, login, world, monkeypatch):
    """The reader's Babel Locale is parsed once per code (app._select_locale), and the stylesheet and
    script tags (Bootstrap-Flask's and the app's) are rendered once (kept() in base.html)."""
    from babel import Locale
    from flask_bootstrap import Bootstrap5

    login(client, world.worker_a)
    for lang in ("zh_Hans_CN", "en"):
        client.set_cookie("lang", lang)
        assert client.get("/").status_code == 200
    calls = {"parse": 0, "css": 0, "js": 0}
    parse, load_css, load_js = Locale.parse.__func__, Bootstrap5.load_css, Bootstrap5.load_js

    def counting(name, function):
        def counted(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return counted

    def counting_parse(cls, identifier, *args, **kwargs):  # Flask-Babel hands a parsed Locale back: free
        calls["parse"] += isinstance(identifier, str)
        return parse(cls, identifier, *args, **kwargs)

    monkeypatch.setattr(Locale, "parse", classmethod(counting_parse))
    monkeypatch.setattr(Bootstrap5, "load_css", counting("css", load_css))
    monkeypatch.setattr(Bootstrap5, "load_js", counting("js", load_js))
    for lang in ("zh_Hans_CN", "en"):
        client.set_cookie("lang", lang)
        html = client.get("/").get_data(as_text=True)
        assert "bootstrap.min.css" in html and "js/app.js" in html and "js/pickers.js" in html
        assert f'<html lang="{"en" if lang == "en" else "zh-CN"}">' in html
    assert calls == {"parse": 0, "css": 0, "js": 0}


def test_a_page_with_a_form_reads_no_catalog_after_the_first(client, login, world, counted):
    login(client, world.admin)
    assert client.get("/admin/enterprises/new").status_code == 200
    counted.update(forms=0, catalogs=0)
    assert client.get("/admin/enterprises/new").status_code == 200
    assert counted["forms"] >= 1 and counted["catalogs"] == 0


def test_template_gettext_follows_the_locale_of_the_moment(app):
    template = "{{ _('退出登录') }}|{{ _('每件至少 %(n)d 位评委', n=3) }}|{{ _('100%%') }}|{{ _('%(x)s', x='<i>') }}"
    # Each request has its own application context (and `g`), as when served.
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(template) == "Sign out|At least 3 judges each|100%|&lt;i&gt;"
        with force_locale("zh_Hans_CN"):
            assert render_template_string(template) == "退出登录|每件至少 3 位评委|100%|&lt;i&gt;"
        assert render_template_string(template).startswith("Sign out|")
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string(template).startswith("退出登录|")


# --- dates and lazy labels through the request's catalog (core.l10n) ---------------------------------

NAMED = ("short", "medium", "long", "full")
DATETIME_FORMATS = (*NAMED, "d MMM y, HH:mm", "y-MM-dd HH:mm:ss zzzz")
DATE_FORMATS = (*NAMED, "EEEE y-MM-dd")


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_dates_read_as_flask_babel_formats_them(app, lang):
    """core.l10n parses each pattern once per locale; the text is Flask-Babel's, to the character: a naive
    datetime is UTC, the day is Shanghai's (also across midnight and in the summer time of 1986-1991)."""
    from datetime import UTC, date, datetime

    import flask_babel

    from core import l10n

    moments = [datetime(2026, 11, 29, 3, 4, 5, tzinfo=UTC), datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
               datetime(1990, 7, 1, 15, 30, tzinfo=UTC), datetime(2026, 1, 5, 23, 59)]
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for fmt in DATETIME_FORMATS:
            for moment in moments:
                assert l10n.format_datetime(moment, fmt) == flask_babel.format_datetime(moment, fmt), (fmt, moment)
        for fmt in DATE_FORMATS:
            for day in (*moments, date(2026, 2, 3)):
                assert l10n.format_date(day, fmt) == flask_babel.format_date(day, fmt), (fmt, day)
        shown = render_template_string("{{ m|datetime }}|{{ m|date }}", m=moments[1])
        assert shown == ("1 Jan 2027, 00:30|Jan 1, 2027" if lang == "en" else "2027/1/1 00:30|2027年1月1日")


QUICK_FORMATS = ("short", "medium", "long", "full", "HH:mm", "yy/M/d h:mm a", "y-MM-dd hh:mm:ss aaaa",
                 "MMMM d, yyyy H:m:s")
QUICK_DAY_FORMATS = ("short", "medium", "long", "yy/M/d", "y-MM-dd", "MMM d, yyyy", "MMMM dd")


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
@hypothesis.settings(max_examples=150, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(moment=strategies.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31),
                                              timezones=strategies.just(UTC)))
def test_quick_patterns_read_as_babel_formats_them(app, lang, moment):
    """core.l10n.QuickPattern (years, months by number or name, days, 12- and 24-hour clocks, minutes,
    seconds, am/pm) gives Babel's text to the character for any moment, in both languages."""
    import flask_babel

    from core import l10n

    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for fmt in QUICK_FORMATS:
            assert l10n.format_datetime(moment, fmt) == flask_babel.format_datetime(moment, fmt), (fmt, moment)
        for fmt in QUICK_DAY_FORMATS:
            assert l10n.format_date(moment, fmt) == flask_babel.format_date(moment, fmt), (fmt, moment)


def test_the_apps_own_formats_are_quick(app):
    from core import l10n

    with app.test_request_context("/"):
        l10n.format_datetime(datetime(2026, 1, 1, tzinfo=UTC), "short")
        _locale, _zone, patterns = l10n._reader()
        assert isinstance(patterns[("datetime", "short")], l10n.QuickPattern)  # the day and the time as one
        # Chinese (the default): every field a number, so the whole text is one str.format
        assert patterns[("datetime", "short")].apply.__name__ == "format"


def test_lazy_labels_follow_the_locale_and_read_the_catalog_once_per_locale(app, monkeypatch):
    from flask_babel import Domain
    from flask_babel.speaklater import LazyString

    from core.l10n import lazy_gettext as _l

    label = _l("退出登录")
    assert isinstance(label, LazyString) and label._args == ("退出登录",)  # as flask_babel's (as_deferred reads it)
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert str(label) == "Sign out"  # the process has this locale's catalog from here on
    looked_up = []
    original = Domain.get_translations
    monkeypatch.setattr(Domain, "get_translations", lambda self: looked_up.append(self) or original(self))
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert [str(label) for _ in range(3)] == ["Sign out"] * 3
        assert str(_l("每件至少 %(n)d 位评委", n=3)) == "At least 3 judges each"
        with force_locale("zh_Hans_CN"):
            assert str(label) == "退出登录"
        assert str(label) == "Sign out"
    assert len(looked_up) <= 1  # the Chinese catalog, if no request asked for it before; never per label


def test_the_unread_badge_counted_with_the_user_is_counted_again_after_the_request_commits(client, login, world):
    """The badge's count comes with the session user (one statement); a request that commits (opening a
    message marks it read) shows the count after its change, not the one loaded before it."""
    from services.common.i18n import Deferred
    from services.messages import inbox

    messages = inbox.notify([world.worker_a], "test", Deferred("第一条")) + inbox.notify(
        [world.worker_a], "test", Deferred("第二条"))
    db.session.commit()
    login(client, world.worker_a)
    assert 'data-testid="unread-badge">2<' in client.get("/messages/").get_data(as_text=True)
    opened = client.get(f"/messages/{messages[0].id}").get_data(as_text=True)
    assert 'data-testid="unread-badge">1<' in opened


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_the_apps_lazy_labels_read_as_flask_babels(app, lang):
    """core.l10n.lazy_gettext (the app's `_l`) gives what flask_babel.lazy_gettext gives, with and without
    variables, in a request of either language and outside any request."""
    import flask_babel

    from core.l10n import lazy_gettext

    cases = [("退出登录", {}), ("待审核", {}), ("每件至少 %(n)d 位评委", {"n": 3}), ("不在目录里的文字", {})]
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for text, variables in cases:
            ours, theirs = lazy_gettext(text, **variables), flask_babel.lazy_gettext(text, **variables)
            assert str(ours) == str(theirs) and str(ours) == str(ours)  # the second read is the kept one
            assert markupsafe_escape(ours) == markupsafe_escape(theirs) and ours == str(theirs)
    with app.app_context():
        assert str(lazy_gettext("待审核")) == str(flask_babel.lazy_gettext("待审核"))


def test_a_read_lazy_label_pickles_and_copies_without_its_catalogs(app):
    import copy
    import pickle

    from core.l10n import lazy_gettext

    label = lazy_gettext("待审核")
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        english = str(label)
        again = pickle.loads(pickle.dumps(label))
        assert again._texts == {} and str(again) == english and str(copy.deepcopy(label)) == english


@pytest.mark.parametrize("enabled", [True, False])
def test_a_button_only_shown_renders_the_forms_csrf_field_without_building_one(app, enabled, monkeypatch):
    """blueprints.forms.BUTTON (an export or action button a page only renders) prints what a ButtonForm
    prints: the same CSRF field with the request's token, nothing when CSRF protection is off."""
    from blueprints.forms import BUTTON, ButtonForm

    app.config["WTF_CSRF_ENABLED"] = enabled
    try:
        with app.test_request_context("/"):
            template = "{{ b.csrf_token }}|{{ b.csrf_token }}"
            form_text = render_template_string(template, b=ButtonForm())
            built = []
            monkeypatch.setattr(flask_wtf.FlaskForm, "__init__", lambda *_a, **_k: built.append(1))
            assert render_template_string(template, b=BUTTON) == form_text
            assert built == []
            assert ('name="csrf_token"' in form_text) == enabled
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
