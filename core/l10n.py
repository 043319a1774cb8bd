"""The reader's language on a page, fast: the request's message catalog looked up once, and dates in
Babel's patterns parsed once per locale (issue 10: a table page translates hundreds of labels and
formats a date or two per row).

- `request_catalog()`: the catalog of the request's locale, kept on `g` with that locale. Flask-Babel's
  own path (domain, then locale, then str(locale) for its cache key, each through `g`) is taken only
  when the locale changed: force_locale or refresh() puts another Locale object there (or none).
- `RequestCatalogDomain`: Flask-Babel's default domain, answering from `request_catalog()`. `gettext`
  in Python goes through it; app.py installs it.
- `lazy_gettext` (imported as `_l`): flask_babel's lazy string (a LazyString: the same msgid and
  arguments, the same behaviour as text), translated straight from `request_catalog()` and kept per
  catalog. Labels of platform data (statuses, levels, trades) are lazy and a list shows one per row
  or per option: through Flask-Babel each `str()` took ~15 calls (domain, context, proxy of `g`).
- `format_date(value, fmt)` / `format_datetime(value, fmt)`: what flask_babel.format_date and
  format_datetime return (the request's locale, Asia/Shanghai from BABEL_DEFAULT_TIMEZONE; a naive
  datetime is UTC), with the named formats ("short" ...) resolved and parsed once per locale.
  Babel does that on every call: ~7 µs for a date, ~19 µs for a date and time on an idle machine,
  against 2-4 µs here. Flask-Babel's configurable `date_formats` are not consulted (this app sets none).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import (
    get_date_format,
    get_datetime_format,
    get_month_names,
    get_period_names,
    get_time_format,
    parse_pattern,
)
from babel.numbers import format_decimal as babel_format_decimal
from flask.globals import _cv_app  # Flask's own context variable behind `g` (Flask 3)
from flask_babel import Domain, get_locale, get_timezone
from flask_babel.speaklater import LazyString
from pytz import UTC

NAMED = ("short", "medium", "long", "full")

_catalogs: dict = {}  # Locale -> catalog, process-wide as Flask-Babel's own domain cache is
_patterns: dict = {}  # Locale -> {(kind, format): parsed patterns}


def request_catalog(domain: Domain | None = None):
    """The catalog of the request's locale (outside an application context: Flask-Babel's answer,
    untranslated text). `domain` is the domain asking (Flask-Babel's default one otherwise)."""
    app_context = _cv_app.get(None)  # as _babel_state, inline: every label of a page asks
    if app_context is None:  # no application context
        return Domain.get_translations(domain or Domain())
    state = app_context.g.__dict__
    locale = getattr(state.get("_flask_babel"), "babel_locale", None)  # Flask-Babel's per-request locale
    if locale is None:
        locale = get_locale()
        if locale is None:
            return Domain.get_translations(domain or Domain())
    kept = state.get("_request_catalog")
    if kept is None or kept[0] is not locale:
        found = _catalogs.get(locale)
        if found is None:
            from flask_babel import get_domain

            found = _catalogs[locale] = Domain.get_translations(domain or get_domain())
        kept = state["_request_catalog"] = (locale, found)
    return kept[1]


class LazyText(LazyString):
    """A lazily translated text: `str()` is the request's catalog's translation of the msgid, then
    `% variables` when there are any (what flask_babel.gettext gives), each catalog's answer kept on
    the object (a text without variables; a catalog is one per locale per process)."""

    def __init__(self, string: str, **variables):
        super().__init__(_catalog_gettext, string, **variables)
        self._texts: dict = {}

    def __str__(self) -> str:
        if self._kwargs:
            return _catalog_gettext(*self._args, **self._kwargs)
        catalog = request_catalog()
        text = self._texts.get(catalog)
        if text is None:
            text = self._texts[catalog] = catalog.ugettext(self._args[0])
        return text

    def __getstate__(self) -> dict:
        """Pickled or copied without the kept translations (catalogs are this process's)."""
        return {**self.__dict__, "_texts": {}}


def _catalog_gettext(string: str, **variables) -> str:
    text = request_catalog().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyText:
    """flask_babel.lazy_gettext's text, translated from the request's catalog (LazyText)."""
    return LazyText(string, **variables)


class RequestCatalogDomain(Domain):
    """Flask-Babel's default domain ("messages"), translating from `request_catalog()`."""

    def get_translations(self):
        return request_catalog(self)


def _babel_state():
    """Flask-Babel's per-request state (a namespace on `g`) and `g`'s dict, or (None, None) outside a
    request's application context. `g` is read from Flask's context variable, not through its proxy
    (three calls less; a list page asks a few hundred times, once per label and date)."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None, None
    state = app_context.g.__dict__
    return state.get("_flask_babel"), state


def reader_locale():
    """The request's locale (flask_babel.get_locale), read straight from Flask-Babel's per-request
    state once it is there: get_locale() itself costs ~3 µs a call, and a table calls it per cell."""
    babel_state, _state = _babel_state()
    locale = getattr(babel_state, "babel_locale", None)
    return locale if locale is not None else get_locale()


def _reader():
    """(locale, time zone, that locale's parsed patterns) of the request, kept on `g` while the locale
    is the same object (a new request parses a new Locale: comparing Locales costs ~1 µs a lookup)."""
    babel_state, state = _babel_state()
    locale = getattr(babel_state, "babel_locale", None) or get_locale()
    kept = state.get("_l10n_reader") if state is not None else None
    if kept is None or kept[0] is not locale:
        zone = getattr(babel_state, "babel_tzinfo", None) or get_timezone()
        kept = (locale, zone, _patterns.setdefault(locale, {}))
        if state is not None:
            state["_l10n_reader"] = kept
    return kept


def _in_zone(value: datetime, zone) -> datetime:
    """`value` in the reader's time zone (flask_babel.to_user_timezone; naive = UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)  # pytz: astimezone lands on the zone's right offset (fromutc)


_FIELD = re.compile(r"%\((\w+)\)s")
_WIDTHS = {3: "abbreviated", 4: "wide", 5: "narrow"}


def _period_name(period: str, num: int, locale) -> str:
    """babel.dates.DateTimeFormat.format_period's text of 'am' or 'pm' for the field 'a' * num."""
    for width in (_WIDTHS[max(3, num)], "wide", "narrow", "abbreviated"):
        names = get_period_names(context="format", width=width, locale=locale)
        if period in names:
            return names[period]
    raise ValueError(f"Could not format period {period} in {locale}")


def _field_reader(name: str, locale):
    """A function of a date/time giving what Babel's DateTimeFormat gives for the pattern field `name`, for
    the fields of this app's formats (year, month, day, hours, minutes, seconds, am/pm); None for others."""
    char, num = name[0], len(name)
    if char == "y":
        return (lambda v: f"{v.year:02d}"[-2:]) if num == 2 else (lambda v: f"{v.year:0{num}d}")
    if char == "M":
        if num <= 2:
            return lambda v: f"{v.month:0{num}d}"
        names = get_month_names(_WIDTHS[num], "format", locale)
        return lambda v: names[v.month]
    if char == "a":
        am, pm = _period_name("am", num, locale), _period_name("pm", num, locale)
        return lambda v: pm if v.hour >= 12 else am
    if num > 2:
        return None
    if char == "h":
        return lambda v: f"{v.hour % 12 or 12:0{num}d}"
    attribute = {"d": "day", "H": "hour", "m": "minute", "s": "second"}.get(char)
    if attribute is None:
        return None
    return lambda v: f"{getattr(v, attribute):0{num}d}"


def _field_format(name: str) -> str | None:
    """The str.format field giving what _field_reader's reader gives for the pattern field `name`, for the
    fields that are a number of the value (year but "yy", month by number, day, 24-hour hours, minutes,
    seconds); None for the others (names of months, am/pm, the 12-hour clock, two-digit years)."""
    char, num = name[0], len(name)
    if char == "y" and num != 2:
        return f"{{0.year:0{num}d}}"
    if char == "M" and num <= 2:
        return f"{{0.month:0{num}d}}"
    attribute = {"d": "day", "H": "hour", "m": "minute", "s": "second"}.get(char)
    return f"{{0.{attribute}:0{num}d}}" if attribute and num <= 2 else None


_PIECE = re.compile(r"%%|%s|[{}]")


class QuickPattern:
    """A parsed Babel pattern whose fields are all read by _field_reader: `apply` gives Babel's text to the
    character (tests/views/test_fixed_cost.py compares them) in ~8 calls instead of ~25 through Babel's
    DateTimeFormat (a list page formats a date or a time on every row). When every field is a number of the
    value (_field_format: the app's Chinese formats, ISO days), `apply` is one str.format of the whole text."""

    def __init__(self, text: str, readers: tuple, formats: tuple = ()):
        self.text, self.readers, self.formats = text, readers, formats
        if formats and None not in formats and len(formats) == len(readers):
            fields = iter(formats)
            pieces = {"%%": "%", "{": "{{", "}": "}}"}
            # an instance attribute over the method: str.format ignores the locale and reference date
            self.apply = _PIECE.sub(lambda m: next(fields) if m[0] == "%s" else pieces[m[0]], text).format

    @classmethod
    def of(cls, pattern, locale):
        """`pattern` (babel.dates.DateTimePattern) made quick for `locale`, or `pattern` itself when one of
        its fields is not one _field_reader reads."""
        names = _FIELD.findall(pattern.format)
        readers = tuple(_field_reader(name, locale) for name in names)
        if any(reader is None for reader in readers):
            return pattern
        return cls(_FIELD.sub("%s", pattern.format), readers, tuple(_field_format(name) for name in names))

    def apply(self, value, _locale=None, reference_date=None) -> str:
        return self.text % tuple([read(value) for read in self.readers])

    @classmethod
    def joined(cls, glue: str, day, time):
        """A named date-and-time format as one pattern: the locale's `glue` ("{1} {0}": {1} the day, {0} the
        time) around the day's and the time's patterns, read from the datetime at once; None unless both
        are quick (then babel.dates.format_datetime's way stays: glue, day and time apart)."""
        if not (isinstance(day, cls) and isinstance(time, cls)) or glue.count("{0}") != 1 or glue.count("{1}") != 1:
            return None
        day_first = glue.index("{1}") < glue.index("{0}")
        readers = day.readers + time.readers if day_first else time.readers + day.readers
        formats = day.formats + time.formats if day_first else time.formats + day.formats
        return cls(glue.replace("%", "%%").replace("{1}", day.text).replace("{0}", time.text), readers, formats)


def _pattern(patterns: dict, kind: str, fmt: str, locale):
    found = patterns.get((kind, fmt))
    if found is None:
        if kind == "date":
            found = QuickPattern.of(parse_pattern(get_date_format(fmt, locale=locale) if fmt in NAMED else fmt), locale)
        elif fmt in NAMED:  # babel.dates.format_datetime: the locale's glue around its date and time
            parts = (str(get_datetime_format(fmt, locale=locale)).replace("'", ""),
                     QuickPattern.of(parse_pattern(get_date_format(fmt, locale=locale)), locale),
                     QuickPattern.of(parse_pattern(get_time_format(fmt, locale=locale)), locale))
            found = QuickPattern.joined(*parts) or parts
        else:
            found = QuickPattern.of(parse_pattern(fmt), locale)
        patterns[(kind, fmt)] = found
    return found


DAYS_KEPT = 4096  # days' texts kept per locale (a list shows the same few days again and again)


def format_date(value: date | datetime, fmt: str = "medium") -> str:
    """`value` (a datetime: its day in Asia/Shanghai) as flask_babel.format_date(value, fmt) formats it.
    A day's text is kept per locale and format (up to DAYS_KEPT days, then started afresh): a list of
    pairs or competitions shows a few days many times, and formatting one costs ~20 calls into Babel."""
    locale, zone, patterns = _reader()
    if isinstance(value, datetime):
        value = _in_zone(value, zone).date()
    days = patterns.get("days")
    if days is None or len(days) > DAYS_KEPT:
        days = patterns["days"] = {}
    text = days.get((fmt, value))
    if text is None:
        text = days[(fmt, value)] = _pattern(patterns, "date", fmt, locale).apply(value, locale)
    return text


NUMBERS_KEPT = 4096  # numbers' texts kept per locale


def format_number(value) -> str:
    """`value` as flask_babel.format_decimal(value) formats it (the locale's decimal pattern). A number's
    text is kept per locale, by type and exact text (Decimal("2.0") apart from Decimal("2")), up to
    NUMBERS_KEPT, then started afresh: a list shows the same hours or amounts many times, and Babel
    takes ~100 calls to format one."""
    locale, _zone, patterns = _reader()
    numbers = patterns.get("numbers")
    if numbers is None or len(numbers) > NUMBERS_KEPT:
        numbers = patterns["numbers"] = {}
    key = (type(value), str(value))
    text = numbers.get(key)
    if text is None:
        text = numbers[key] = babel_format_decimal(value, locale=locale)
    return text


def format_datetime(value: datetime, fmt: str = "medium") -> str:
    """`value` in Asia/Shanghai as flask_babel.format_datetime(value, fmt) formats it."""
    locale, zone, patterns = _reader()
    return _datetime_text(value, fmt, locale, zone, patterns)


ENGLISH_SHORT = "d MMM y, HH:mm"  # "20 Nov 2026, 09:30": "11/20/26, 9:30 AM" reads two ways


def shown_datetime(value: datetime | None, fmt: str = "short") -> str:
    """The templates' `|datetime`: Shanghai time in the reader's language, "" for no value; the short
    format in English is ENGLISH_SHORT (a day before a month, spelled out, 24-hour clock)."""
    if not value:
        return ""
    locale, zone, patterns = _reader()
    if fmt == "short" and locale.language == "en":
        fmt = ENGLISH_SHORT
    return _datetime_text(value, fmt, locale, zone, patterns)


def _datetime_text(value: datetime, fmt: str, locale, zone, patterns: dict) -> str:
    value = _in_zone(value, zone)
    found = _pattern(patterns, "datetime", fmt, locale)
    if fmt not in NAMED or isinstance(found, QuickPattern):
        return found.apply(value, locale)
    glue, day, time = found
    return (glue.replace("{0}", time.apply(value.timetz(), locale, reference_date=value.date()))
            .replace("{1}", day.apply(value.date(), locale)))
