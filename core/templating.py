"""Jinja's code generator with one change: a `{% block %}` is rendered into one string where the
template that declares it is rendered, instead of passing each of its outputs up through every
template of the chain.

Jinja compiles a block call as `yield from block(context)`: every piece of a page's content (a table
has thousands: each text run and each `{{ }}` is one) then resumes three generators on its way out
(the block, base.html's root, the page's root). Here the block's outputs are joined first
(`concat`, Jinja's own "".join) and the string is yielded once. The page's text is the same to the
character; it is only assembled in fewer steps. The app renders whole pages (render_template), never
streams them, so nothing is lost by joining a block before its template goes on.

`url_pattern` (a template global) is a list's per-row link built once: `pattern % row.id`.
`remembered_url_for` is the templates' `url_for`: a URL the app has built once is not built again.
`kept_markup` keeps a fragment that depends only on its key (the navigation's sections); `kept_with_slots`
one that also shows a few plain values (the account menu).
`GlobalsAsDictEnvironment` gives each template its globals as a plain dict (see there).
`QuickCallContext` calls a template's functions and macros without Jinja's per-call inspection.
"""

from __future__ import annotations

import re
from decimal import Decimal
from types import BuiltinFunctionType, FunctionType, MethodType

import markupsafe
from flask import Flask, request, url_for
from flask.globals import _cv_request  # Flask's own context variable behind `request` (Flask 3)
from flask.templating import Environment as FlaskEnvironment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment as JinjaEnvironment
from jinja2.nodes import Block, Call, Const, Name
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from core.l10n import LazyText, reader_locale
from core.memo import keep


def _escape_text():
    """markupsafe's own escaping of a plain str to a plain str (its C speedup when installed)."""
    inner = getattr(markupsafe, "_escape_inner", None)
    return inner if inner is not None else (lambda text: str(markupsafe.escape(text)))


_escape_str = _escape_text()


def text_escape(value) -> str:
    """The text of `{{ value }}` in an autoescaped template: markupsafe.escape(value)'s characters,
    without building a Markup for every output (a page has a few thousand, each ~5 calls through
    escape, __html__ and Markup's constructor). A str is escaped, a Markup is already safe, an int has
    nothing to escape; anything else (lazy labels, numbers, None, objects with __html__) goes through
    markupsafe.escape itself. The output of a block or a template is joined into one str anyway, and
    a macro's or a {% set %} block's is wrapped in Markup as before. Numbers (bool, float, Decimal too) are
    their str; a lazy label (core.l10n.LazyText) is its translated text unescaped, as markupsafe.escape
    gives it through the label's __html__."""
    kind = type(value)
    if kind is str:
        return _escape_str(value)
    if kind is Markup:
        return value
    if kind in _NUMBERS:
        return str(value)
    if kind is LazyText:  # a label: markupsafe.escape takes its __html__, the translated text as it is
        return str(value)
    return markupsafe.escape(value)


_NUMBERS = frozenset((int, bool, float, Decimal))  # their text has nothing to escape


def format_markup(text: str, variables: dict) -> Markup:
    """Markup(text) % variables, to the character, for `_()` in templates: Markup's % wraps every value
    in a helper object that escapes it (~10 calls a value); here numbers go in as they are and plain
    strs escaped (text_escape), so the text is formatted once. Any other value, or a value the format
    cannot take as it is (a str for %d), takes Markup's own way."""
    plain = {}
    for key, value in variables.items():
        kind = type(value)
        if kind in _NUMBERS:
            plain[key] = value
        elif kind is str:
            plain[key] = _escape_str(value)
        else:
            return Markup(text) % variables
    try:
        return Markup(text % plain)
    except (TypeError, ValueError):
        return Markup(text) % variables


class GlobalsAsDictEnvironment(FlaskEnvironment):
    """Flask's Jinja environment whose templates hold their globals as a plain dict (the environment's
    globals with the template's own over them) instead of Jinja's ChainMap of the two.

    Why: every render copies the globals into the context (dict(globals)) and every `{% import %}` /
    `{% from ... import %}` compares their keys with the imported template's (set - keys()); on a ChainMap
    both walk each of the ~50 globals through Python-level __getitem__/__contains__: ~860 calls of a
    page's ~8,000 (the judge's competitions page, 2026-11-30). With a dict they run in C.

    The one difference: a global added to the environment after a template was loaded is not seen by that
    template. Jinja's documentation already says not to do that ("avoid modifying any globals after a
    template is loaded"); the app sets every global in create_app, before any template is loaded."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


class JoinedBlocksCodeGenerator(CodeGenerator):
    """CodeGenerator whose unbuffered, synchronous block calls yield the block's text joined, whose
    autoescaped outputs go through text_escape, and whose `_('literal')` goes through literal_text."""

    def _output_child_pre(self, node, frame: Frame, finalize) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.text_escape(")
        if finalize.src is not None:
            self.write(finalize.src)

    def visit_Call(self, node: Call, frame: Frame, forward_caller: bool = False) -> None:
        """`_('text')` / `gettext('text')` with one literal and nothing else: environment.literal_text (below)."""
        if (forward_caller or self.environment.is_async or self.environment.sandboxed
                or not isinstance(node.node, Name) or node.node.name not in ("_", "gettext")
                or len(node.args) != 1 or not isinstance(node.args[0], Const) or not isinstance(node.args[0].value, str)
                or node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.write("environment.literal_text(context, ")
        self.visit(node.node, frame)
        self.write(f", {node.args[0].value!r})")

    def visit_Block(self, node: Block, frame: Frame) -> None:
        if self.environment.is_async or frame.buffer is not None or node.required:
            super().visit_Block(node, frame)
            return
        level = 0
        if frame.toplevel:
            if self.has_known_extends:  # a child template: its parent calls the block
                return
            if self.extends_so_far > 0:
                self.writeline("if parent_template is None:")
                self.indent()
                level += 1
        context = self.derive_context(frame) if node.scoped else self.get_context_ref()
        self.writeline(f"yield concat(context.blocks[{node.name!r}][0]({context}))", node)
        self.outdent(level)


def literal_text(context, gettext, string: str):
    """What `_(string)` gives in a template (one literal, no variables): the template's own `_` (the
    environment's `template_gettext`, app.py) called directly with the render's EvalContext.

    A list page says the same few labels on every row (a data-label per cell for the phone's cards): 50
    rows x 8 columns are 400 calls of `_`, and Jinja's context.call around each (checking how to pass the
    context, popping loop and block variables) cost as much as the translation. Any other `_` (none
    installed, or a template's own) is called as Jinja calls it. Raises what that `_` raises."""
    if gettext is getattr(context.environment, "template_gettext", None):
        return gettext(context.eval_ctx, string)
    return context.call(gettext, string)


_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro})


class QuickCallContext(Context):
    """Jinja's Context whose `call` (every call in a template: a macro, url_for, a global) takes a short
    path for plain functions, bound methods, builtins and macros: their pass_context / pass_eval_context
    / pass_environment mark is read once (one getattr), where Jinja's `call` asks the object and its
    __call__ in turn (~9 calls a call; a list page makes ~85). Anything else (a callable class, a
    partial) goes through Jinja's own `call`. Same arguments, same result, the same Undefined for a
    callable that raises StopIteration."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature: a keyword may be "self")
        if type(__obj) not in _PLAIN_CALLABLES or getattr(__obj, "jinja_pass_arg", None) is not None:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


def join_blocks(environment: JinjaEnvironment) -> None:
    """Compile `environment`'s templates with JoinedBlocksCodeGenerator (before any is loaded), and
    render them with QuickCallContext."""
    environment.code_generator_class = JoinedBlocksCodeGenerator
    environment.context_class = QuickCallContext
    environment.text_escape = text_escape
    environment.literal_text = literal_text


_SLOT = 918273645  # stands for a row's id while the pattern is built; no URL holds it otherwise


def url_pattern(endpoint: str, slot: str, **values) -> str:
    """url_for(endpoint, **values) with the argument `slot` left open as "%d": a list builds each row's
    link as `pattern % row.id` (the same text as url_for gives; any "%" of the URL is doubled) instead of
    a url_for per row, which walks werkzeug's URL map each time (~40 µs)."""
    url = url_for(endpoint, **values, **{slot: _SLOT})
    if url.count(str(_SLOT)) != 1:
        raise ValueError(f"{endpoint}: {slot} does not appear once in {url}")
    return url.replace("%", "%%").replace(str(_SLOT), "%d")


_SPECIAL = frozenset({"_external", "_anchor", "_method", "_scheme"})  # url_for's own arguments
URLS_KEPT = 4096  # remembered URLs per app; the memo starts again when full (a page asks for ~20-60)


def remembered_url_for(app: Flask):
    """The templates' `url_for` for `app`: url_for(endpoint, **values), remembered per (script root,
    endpoint, values) so that the links every page repeats (the navigation's ~20, static files) are
    built once per process instead of walking werkzeug's URL map each time (~40 µs each).

    Safe because a relative URL depends only on those: the app has no URL defaults, value
    preprocessors, host or subdomain matching (checked at the first call; with any of them every call
    goes to url_for). Relative endpoints (".name"), the `_external`/`_anchor`/`_method`/`_scheme`
    arguments, unhashable values and calls outside a request go to url_for every time. Raises what
    url_for raises (BuildError for an unknown endpoint; nothing is remembered then)."""
    urls: dict = {}
    plain = []  # [bool] once known: the app's URLs depend on nothing but the rule and the values

    def url(endpoint: str, **values) -> str:
        if not plain:
            plain.append(not (app.url_default_functions or app.url_value_preprocessors
                              or app.url_map.host_matching or app.subdomain_matching))
        if not plain[0] or endpoint[:1] == "." or not _SPECIAL.isdisjoint(values):
            return url_for(endpoint, **values)
        request_context = _cv_request.get(None)  # what `request` proxies, without the proxy
        if request_context is None:  # no request
            return url_for(endpoint, **values)
        try:  # the values' types count too: True and 1 are equal keys but give different URLs
            key = (request_context.request.environ.get("SCRIPT_NAME"), endpoint, *values.items(),
                   *map(type, values.values()))
            found = urls.get(key)
        except TypeError:  # an unhashable value (a list)
            return url_for(endpoint, **values)
        if found is None:
            found = keep(urls, key, url_for(endpoint, **values), URLS_KEPT)
        return found

    return url


FRAGMENTS_KEPT = 512  # kept fragments per app; the store starts again when full


def pager_key(pagination) -> tuple:
    """The key of a numbered pager's fragment (templates/_macros/ui.html pager, kept with `kept`): all that
    Bootstrap-Flask's render_pagination reads, and the reader's locale (its label): the endpoint, the
    view's arguments, the query's arguments but `page` (first values, in order, as it copies them) and the
    page and number of pages (iter_pages, has_prev, has_next follow from them). Raises RuntimeError
    outside a request."""
    request_context = _cv_request.get(None)
    if request_context is None:
        raise RuntimeError("pager_key outside a request")
    current = request_context.request
    return ("pager", current.endpoint, tuple((current.view_args or {}).items()),
            tuple((name, value) for name, value in current.args.items() if name != "page"),
            pagination.page, pagination.pages, str(reader_locale()))


def kept_markup():
    """A template global `kept(key, render)`: the Markup `render()` returns (a macro without arguments),
    rendered once per process for each (script root, *key) and kept. For fragments that depend on nothing
    but what the key names: the navigation's sections depend on the locale and the user's roles only
    (base.html), and are rendered once instead of ~20 url_for and gettext calls on every page.

    `key` is a tuple of hashables and must name everything the fragment shows. Outside a request the
    fragment is rendered every time. Raises what `render` raises (nothing is kept then)."""
    store: dict = {}

    def kept(key: tuple, render) -> Markup:
        try:
            full = (request.script_root, *key)
        except RuntimeError:  # no request
            return Markup(render())
        found = store.get(full)
        if found is None:
            found = keep(store, full, Markup(render()), FRAGMENTS_KEPT)
        return found

    return kept


_SLOT_MARK = "\x1f{}\x1f"  # a control character no label, name or URL of a fragment holds
_SLOTS = re.compile("\x1f(\\d+)\x1f")


def kept_with_slots():
    """A template global `filled(key, render, **values)`: a fragment kept like `kept`'s (per script root
    and key), except for a few plain values in it. `render` is a macro taking the names of `values`; it is
    rendered once per key with a marker in each, cut at the markers, and each call joins the pieces with
    the values, escaped (text_escape; Markup as it is). Same text as `render(**values)`, provided the macro
    only prints its arguments (it never tests them). The account menu changes with the reader's name,
    the unread badge, the CSRF token and the page to come back to, and with nothing else but the locale.

    `key` is a tuple of hashables naming everything the fragment shows besides the values. Outside a
    request the macro is rendered with the values every time. Raises what `render` raises."""
    store: dict = {}

    def filled(key: tuple, render, **values) -> Markup:
        names = tuple(values)
        try:
            full = (request.script_root, *key, names)
        except RuntimeError:  # no request
            return Markup(render(**values))
        pieces = store.get(full)
        if pieces is None:
            marked = str(render(**{name: Markup(_SLOT_MARK.format(index)) for index, name in enumerate(names)}))
            cut = _SLOTS.split(marked)
            pieces = keep(store, full, (cut[0], tuple((int(slot), text) for slot, text in zip(cut[1::2], cut[2::2],
                                                                                              strict=True))),
                          FRAGMENTS_KEPT)
        head, rest = pieces
        given = [str(text_escape(value)) for value in values.values()]  # str: Markup + str would escape
        return Markup("".join([head, *(given[slot] + text for slot, text in rest)]))

    return filled
