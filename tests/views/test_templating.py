"""core/templating.py: templates compiled so that a block's text is yielded joined and outputs are
escaped to plain text give the page stock Jinja gives, to the character; url_pattern's links are
url_for's, and so are the templates' remembered url_for's; a day's kept text follows the locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import flask_babel
import markupsafe
import pytest
from flask import url_for
from flask_babel import force_locale
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from core import templating
from core.l10n import format_date, format_number
from core.templating import (
    JoinedBlocksCodeGenerator,
    format_markup,
    join_blocks,
    kept_markup,
    kept_with_slots,
    remembered_url_for,
    text_escape,
    url_pattern,
)

TEMPLATES = {
    "base.html": "<title>{% block title %}T{% endblock %}</title>{% block body %}<p>{{ here }}</p>"
                 "{% block inner %}[inner {{ here }}]{% endblock %}{% endblock %}"
                 "{% for i in items %}{% block row scoped %}<i>{{ i }}</i>{% endblock %}{% endfor %}",
    "macros.html": "{% macro cell(v) %}<td>{{ v }}</td>{% endmacro %}",
    "page.html": "{% extends 'base.html' %}{% from 'macros.html' import cell %}"
                 "{% block title %}{{ title }} · {{ super() }}{% endblock %}"
                 "{% block inner %}{{ super() }}{% for v in values %}{{ cell(v) }}{% endfor %}"
                 "{% set kept %}<b>{{ title }}</b>{% endset %}{{ kept }}{{ kept|length }}"
                 "{% autoescape false %}{{ raw }}{% endautoescape %}{{ self.title() }}{% endblock %}"
                 "{% block row %}<li>{{ i }} {{ loop.index if loop is defined else '' }}</li>{% endblock %}",
}


class Lazy:
    """A value that renders itself as HTML (like a lazy label)."""

    def __html__(self):
        return "<em>lazy</em>"

    def __str__(self):
        return "lazy"


VALUES = ["<a href='x'>&\"", Markup("<b>safe</b>"), 5, -3, True, None, Decimal("1.50"), 1.5, Lazy(), "", "纯文本"]


def _environments():
    stock = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    joined = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
    join_blocks(joined)
    return stock, joined


def test_joined_blocks_render_what_stock_jinja_renders():
    stock, joined = _environments()
    context = {"title": "<T&T>", "here": Markup("<u>here</u>"), "items": [1, "<2>"], "values": VALUES,
               "raw": "<raw>"}
    expected = stock.get_template("page.html").render(context)
    assert "&lt;T&amp;T&gt;" in expected and "<raw>" in expected and "<em>lazy</em>" in expected
    assert joined.get_template("page.html").render(context) == expected
    assert joined.get_template("base.html").render(context) == stock.get_template("base.html").render(context)


def test_the_generated_code_joins_blocks_and_escapes_to_text():
    _stock, joined = _environments()
    source = joined.compile(TEMPLATES["base.html"], raw=True)
    assert "yield concat(context.blocks['body'][0](context))" in source
    assert "environment.text_escape(" in source and "escape(" not in source.replace("text_escape(", "")


def test_the_app_compiles_its_templates_so(app):
    assert app.jinja_env.code_generator_class is JoinedBlocksCodeGenerator
    assert app.jinja_env.text_escape is text_escape


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_text_escape_is_markupsafe_escape(value):
    assert text_escape(value) == str(markupsafe.escape(value))
    assert type(text_escape(value)) in (str, Markup)


def test_url_pattern_gives_url_for_links(app):
    with app.test_request_context("/"):
        assert url_pattern("proposals.show", "proposal_id") % 42 == url_for("proposals.show", proposal_id=42)
        unassign = url_pattern("proposals.unassign", "assignment_id", campaign_id=3)
        assert unassign % 7 == url_for("proposals.unassign", campaign_id=3, assignment_id=7)
        # a "%" of the URL itself (an escaped query argument) survives the pattern
        scores = url_pattern("competitions.scores", "competition_id", after="50%")
        assert scores % 9 == url_for("competitions.scores", competition_id=9, after="50%")
        assert "%25" in scores % 9


def test_the_templates_url_for_is_url_for_built_once(app, monkeypatch):
    assert app.jinja_env.globals["url_for"] is not app.url_for  # the app's templates use the remembered one
    built = []

    def counting_url_for(endpoint, **values):
        built.append(endpoint)
        return url_for(endpoint, **values)

    monkeypatch.setattr(templating, "url_for", counting_url_for)
    url = remembered_url_for(app)
    calls = [("home.index", {}), ("static", {"filename": "css/app.css"}), ("proposals.show", {"proposal_id": 42}),
             ("competitions.scores", {"competition_id": 9, "after": "50%"}), ("proposals.show", {"proposal_id": "42"})]
    with app.test_request_context("/"):
        for endpoint, values in calls * 3:
            assert url(endpoint, **values) == url_for(endpoint, **values)
        assert len(built) == len(calls)  # each built once: the value's type is part of what is remembered
        assert url("home.index", _external=True) == url_for("home.index", _external=True)
        assert url("home.index", tag=["a", "b"]) == url_for("home.index", tag=["a", "b"])
        assert len(built) == len(calls) + 2  # _external and unhashable values are built every time
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/jx"}):  # served under a prefix
        assert url("home.index") == url_for("home.index") == "/jx/"


def test_a_literal_label_goes_straight_to_the_templates_gettext(app):
    """`_('literal')` compiles to environment.literal_text: the app's gettext is called directly (no
    context.call), any other `_` as Jinja calls it; the text is the same either way."""
    source = "{% for i in items %}<td data-label=\"{{ _('姓名') }}\">{{ i }}</td>{% endfor %}{{ _('%(n)s 人', n=2) }}"
    code = app.jinja_env.compile(source, raw=True)
    assert "environment.literal_text(context, " in code and "context.call(" in code  # the call with a variable
    template = app.jinja_env.from_string(source)
    with app.test_request_context("/"):
        assert template.render(items=[1, 2]) == '<td data-label="姓名">1</td><td data-label="姓名">2</td>2 人'
        assert template.render(items=[1], _=lambda s, **v: f"[{s}]") == '<td data-label="[姓名]">1</td>[%(n)s 人]'
    stock = Environment(autoescape=True)
    join_blocks(stock)  # no template_gettext: every `_` through context.call
    assert stock.from_string("{{ _('x') }}").render(_=lambda s: s.upper()) == "X"


def test_labels_follow_the_language_of_each_request(client, login, world):
    """The app's gettext keeps a label's text per catalog: a list in Chinese, then in English, then again."""
    login(client, world.hr_a)
    assert 'data-label="姓名"' in client.get("/workers/").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/"})
    english = client.get("/workers/").get_data(as_text=True)
    assert 'data-label="姓名"' not in english and 'data-label="Name"' in english
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    assert 'data-label="姓名"' in client.get("/workers/").get_data(as_text=True)


def test_a_kept_fragment_is_rendered_once_per_key(app):
    rendered = []

    def render():
        rendered.append(1)
        return f"<b>{len(rendered)}</b>"

    kept = kept_markup()
    with app.test_request_context("/"):
        assert kept(("sections", "zh", ("worker",)), render) == Markup("<b>1</b>")
        assert kept(("sections", "zh", ("worker",)), render) == Markup("<b>1</b>")  # kept
        assert kept(("sections", "en", ("worker",)), render) == Markup("<b>2</b>")  # another key
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/jx"}):
        assert kept(("sections", "zh", ("worker",)), render) == Markup("<b>3</b>")  # another script root
    with app.app_context():
        kept(("sections", "zh", ("worker",)), render)
        assert len(rendered) == 4  # outside a request nothing is kept


def test_a_fragment_with_slots_is_rendered_once_and_filled_with_escaped_values(app):
    template = app.jinja_env.from_string(
        "{% macro menu(name, badge, back) %}<b title=\"{{ back }}\">{{ name }}</b>{{ badge }}|{{ name }}"
        "{% endmacro %}")
    calls = []

    def menu(**values):
        calls.append(1)
        return template.module.menu(**values)

    filled = kept_with_slots()
    values = [{"name": "<i>王&伟</i>", "badge": Markup("<span>3</span>"), "back": '/p?a="1"&b=<2>'},
              {"name": "李 \x1f强", "badge": "", "back": ""}]
    with app.test_request_context("/"):
        for given in values:
            assert filled(("menu", "zh"), menu, **given) == template.module.menu(**given)
        assert len(calls) == 1  # rendered once with markers; then only filled
        assert "&lt;i&gt;王&amp;伟&lt;/i&gt;" in filled(("menu", "zh"), menu, **values[0])
        filled(("menu", "en"), menu, **values[0])
        assert len(calls) == 2  # another key
    with app.app_context():
        assert filled(("menu", "zh"), menu, **values[0]) == template.module.menu(**values[0])
        assert len(calls) == 3  # outside a request nothing is kept


def test_the_sections_follow_the_roles_and_the_language(app, client, login, world):
    login(client, world.worker_a)
    worker_zh = client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/"})
    worker_en = client.get("/").get_data(as_text=True)
    client.get("/logout")
    login(client, world.admin)
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    admin_zh = client.get("/").get_data(as_text=True)
    assert "技能竞赛" in worker_zh and "技能竞赛" not in worker_en and "审计日志" not in worker_zh
    assert "审计日志" in admin_zh


def test_templates_hold_their_globals_as_a_dict(app):
    template = app.jinja_env.get_template("base.html")
    assert type(template.globals) is dict  # not Jinja's ChainMap (core/templating.GlobalsAsDictEnvironment)
    assert {"url_for", "csrf_token", "Role", "url_pattern"} <= template.globals.keys()
    own = app.jinja_env.make_globals({"only_here": 1, "Role": "shadowed"})
    assert own["only_here"] == 1 and own["Role"] == "shadowed" and own["url_for"] is app.jinja_env.globals["url_for"]
    assert "only_here" not in app.jinja_env.globals and app.jinja_env.globals["Role"] != "shadowed"


def test_a_kept_day_follows_the_locale(app):
    day = date(2026, 11, 30)
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        english = format_date(day)
        assert english == flask_babel.format_date(day) == format_date(day)
        with force_locale("zh_Hans_CN"):
            assert format_date(day) == flask_babel.format_date(day) != english
        assert format_date(day, "long") == flask_babel.format_date(day, "long")


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_a_kept_number_reads_as_flask_babel_formats_it(app, lang):
    numbers = [Decimal("2.50"), Decimal("2.5"), Decimal("1234567.8915"), Decimal("-0"), 3, 1.25, Decimal("0")]
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for _ in range(2):  # formatted, then kept
            assert [format_number(n) for n in numbers] == [flask_babel.format_decimal(n) for n in numbers]


@pytest.mark.parametrize("variables", [
    {"n": 3}, {"n": True, "s": "0.00"}, {"s": "<b>&'\""}, {"s": Markup("<i>ok</i>")}, {"s": Lazy(), "n": 2},
    {"n": "7"}, {"n": Decimal("2.675"), "s": 1.5}, {"s": None},
], ids=repr)
def test_format_markup_is_markup_formatting(variables):
    for text in ("%(n)d 项", "%(s)s 元", "%(n)s / %(s)s", "%(n).2f", "100%% %(s)s"):
        wanted = set(variables)
        if not wanted.issuperset(name.split(")")[0] for name in text.split("%(")[1:]):
            continue
        try:
            expected = Markup(text) % variables
        except (TypeError, ValueError) as refused:
            with pytest.raises(type(refused)):
                format_markup(text, variables)
            continue
        got = format_markup(text, variables)
        assert got == expected and isinstance(got, Markup)


def test_quick_calls_give_what_jinjas_calls_give():
    """QuickCallContext.call: plain functions, bound methods, builtins and macros called directly; marked
    functions (pass_context / pass_eval_context / pass_environment), callable objects and a callable that
    raises StopIteration as Jinja calls them: the same text in and out of loops and blocks."""
    from jinja2 import pass_context, pass_environment, pass_eval_context

    class Callable:
        def __call__(self, value):
            return f"obj:{value}"

    class Holder:
        def method(self, value):
            return f"method:{value}"

    def stops():
        raise StopIteration

    names = {
        "plain": lambda value, suffix="": f"plain:{value}{suffix}",
        "with_context": pass_context(lambda context, value: f"ctx:{context['who']}:{value}"),
        "with_eval": pass_eval_context(lambda eval_ctx, value: f"eval:{eval_ctx.autoescape}:{value}"),
        "with_env": pass_environment(lambda environment, value: f"env:{type(environment).__name__}:{value}"),
        "callable": Callable(), "holder": Holder(), "stops": stops, "who": "w", "items": [1, 2],
    }
    source = ("{% macro cell(v) %}<{{ v }}>{% endmacro %}"
              "{{ plain(1) }}{{ plain(2, suffix='!') }}{{ with_context(3) }}{{ with_eval(4) }}{{ with_env(5) }}"
              "{{ callable(6) }}{{ holder.method(7) }}{{ len('ab') if len is defined }}{{ 'x'.upper() }}"
              "{{ stops() is undefined }}{{ cell(8) }}"
              "{% for i in items %}{% set who = 'loop' %}{{ with_context(i) }}{{ plain(i) }}{{ cell(i) }}{% endfor %}"
              "{% block b %}{{ with_context('b') }}{{ plain('b') }}{% endblock %}")
    stock = Environment(autoescape=True)
    quick = Environment(autoescape=True)
    join_blocks(quick)
    assert quick.context_class is templating.QuickCallContext
    expected = stock.from_string(source).render(**names)
    assert "ctx:loop:1" in expected and "True" in expected  # the loop's variables reach a marked function
    assert quick.from_string(source).render(**names) == expected


class _Pages:
    """What Bootstrap-Flask's render_pagination reads of a pagination (Flask-SQLAlchemy's iter_pages)."""

    def __init__(self, page: int, pages: int):
        self.page, self.pages, self.total = page, pages, pages * 20
        self.has_prev, self.has_next = page > 1, page < pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge or self.page - left_current - 1 < number < self.page + right_current
                    or number > self.pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def test_a_kept_pager_is_bootstrap_flasks_for_each_page_query_and_language(app):
    """templates/_macros/ui.html pager keeps its links by pager_key: the same text as rendering them afresh,
    for other pages, other query arguments (a search), another endpoint and the other language."""
    kept_pager = "{% from '_macros/ui.html' import pager %}{{ pager(p) }}"
    fresh = ("{% from 'bootstrap5/pagination.html' import render_pagination %}"
             "{{ render_pagination(p, align='center')|replace('Page navigation', _('翻页')) }}")
    cases = [("/workers/?q=a", 1, 9, "zh_Hans_CN"), ("/workers/?q=b", 1, 9, "zh_Hans_CN"),
             ("/workers/?q=a&page=5", 5, 9, "zh_Hans_CN"), ("/workers/?q=a&page=5", 5, 9, "en"),
             ("/workers/?page=2&q=a&level=3", 2, 30, "en"), ("/admin/users?q=a", 1, 9, "zh_Hans_CN")]
    for path, page, pages, lang in cases * 2:  # the second round reads what the first kept
        with app.test_request_context(path, headers={"Cookie": f"lang={lang}"}):
            flask_babel.refresh()  # the fixture's application context outlives each request: its locale, afresh
            shown = app.jinja_env.from_string(kept_pager).render(p=_Pages(page, pages))
            expected = app.jinja_env.from_string(fresh).render(p=_Pages(page, pages))
            assert expected.strip() in shown and ("翻页" in shown) == (lang != "en"), (path, page, lang)


def test_text_escape_of_a_lazy_label_is_markupsafe_escape(app):
    """A label (core.l10n.LazyText) goes out as markupsafe.escape gives it: its translation, through __html__."""
    from core.l10n import lazy_gettext

    for label in (lazy_gettext("筛选"), lazy_gettext("<b>粗</b> & 细"), lazy_gettext("第 %(n)d 位", n=3)):
        for language in ("zh", "en"):
            with app.test_request_context(f"/?lang={language}"):
                assert text_escape(label) == str(markupsafe.escape(label))
                assert type(text_escape(label)) is str
