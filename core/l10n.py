"""The reader's language on a page, fast: the request's message catalog looked up once, and dates in
Babel's patterns parsed once per locale (issue 10: a table page translates hundreds of labels and
formats a date or two per row).

- `request_catalog()`: the catalog of the request's locale, kept on `g` with that locale. Flask-Babel's
  own path (domain, then locale, then str(locale) for its cache key, each through `g`) is taken only
  when the locale changed: force_locale or refresh() puts another Locale object there (or none).
- `RequestCatalogDomain`: Flask-Babel's default domain, answering from `request_catalog()`. Lazy labels
  (`_l`, flask_babel.lazy_gettext) and `gettext` in Python go through it; app.py installs it.
- `format_date(value, fmt)` / `format_datetime(value, fmt)`: what flask_babel.format_date and
  format_datetime return (the request's locale, Asia/Shanghai from BABEL_DEFAULT_TIMEZONE; a naive
  datetime is UTC), with the named formats ("short" ...) resolved and parsed once per locale.
  Babel does that on every call: ~7 µs for a date, ~19 µs for a date and time on an idle machine,
  against 2-4 µs here. Flask-Babel's configurable `date_formats` are not consulted (this app sets none).
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import get_date_format, get_datetime_format, get_time_format, parse_pattern
from flask import g
from flask_babel import Domain, get_locale, get_timezone
from pytz import UTC

NAMED = ("short", "medium", "long", "full")

_catalogs: dict = {}  # Locale -> catalog, process-wide as Flask-Babel's own domain cache is
_patterns: dict = {}  # (kind, format, Locale) -> parsed patterns


def request_catalog(domain: Domain | None = None):
    """The catalog of the request's locale (outside an application context: Flask-Babel's answer,
    untranslated text). `domain` is the domain asking (Flask-Babel's default one otherwise)."""
    try:
        state = g._get_current_object().__dict__
    except RuntimeError:  # no application context
        return Domain.get_translations(domain or Domain())
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


class RequestCatalogDomain(Domain):
    """Flask-Babel's default domain ("messages"), translating from `request_catalog()`."""

    def get_translations(self):
        return request_catalog(self)


def reader_locale():
    """The request's locale (flask_babel.get_locale), read straight from Flask-Babel's per-request
    state once it is there: get_locale() itself costs ~3 µs a call, and a table calls it per cell."""
    try:
        locale = getattr(g._get_current_object().__dict__.get("_flask_babel"), "babel_locale", None)
    except RuntimeError:
        return None
    return locale if locale is not None else get_locale()


def _in_zone(value: datetime) -> datetime:
    """`value` in the reader's time zone (flask_babel.to_user_timezone; naive = UTC)."""
    try:
        zone = getattr(g._get_current_object().__dict__.get("_flask_babel"), "babel_tzinfo", None)
    except RuntimeError:
        zone = None
    zone = zone or get_timezone()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)  # pytz: astimezone lands on the zone's right offset (fromutc)


def _pattern(kind: str, fmt: str, locale):
    key = (kind, fmt, locale)
    found = _patterns.get(key)
    if found is None:
        if kind == "date":
            found = parse_pattern(get_date_format(fmt, locale=locale) if fmt in NAMED else fmt)
        elif fmt in NAMED:  # babel.dates.format_datetime: the locale's glue around its date and time
            found = (str(get_datetime_format(fmt, locale=locale)).replace("'", ""),
                     parse_pattern(get_date_format(fmt, locale=locale)),
                     parse_pattern(get_time_format(fmt, locale=locale)))
        else:
            found = parse_pattern(fmt)
        _patterns[key] = found
    return found


def format_date(value: date | datetime, fmt: str = "medium") -> str:
    """`value` (a datetime: its day in Asia/Shanghai) as flask_babel.format_date(value, fmt) formats it."""
    if isinstance(value, datetime):
        value = _in_zone(value).date()
    locale = reader_locale()
    return _pattern("date", fmt, locale).apply(value, locale)


def format_datetime(value: datetime, fmt: str = "medium") -> str:
    """`value` in Asia/Shanghai as flask_babel.format_datetime(value, fmt) formats it."""
    value = _in_zone(value)
    locale = reader_locale()
    found = _pattern("datetime", fmt, locale)
    if fmt not in NAMED:
        return found.apply(value, locale)
    glue, day, time = found
    return (glue.replace("{0}", time.apply(value.timetz(), locale, reference_date=value.date()))
            .replace("{1}", day.apply(value.date(), locale)))
