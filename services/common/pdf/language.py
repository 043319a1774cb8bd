"""The language a server-made PDF is drawn in: the reader's (the UI language of the request that asks for
it), Chinese by default. Labels, headings and fixed sentences follow it; what people typed (names,
enterprises, titles, goals) stays as typed and is printed in the CJK fonts whatever the language.

Rule: a PDF maker takes `locale` (None: the platform's default language, BABEL_DEFAULT_LOCALE) and
draws inside `in_language(locale)`; dates print as Babel's long date of that language (2026年6月1日 /
June 1, 2026). Certificates are the union's official award documents and stay in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import current_app
from flask_babel import force_locale, format_date, get_locale


@contextmanager
def in_language(locale: str | None) -> Iterator[None]:
    """Translate (gettext) into `locale` while the document is drawn; None: the default language."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def reader_locale() -> str:
    """The language of the current request (its UI language), for the views that ask for a PDF."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def long_date(day: date) -> str:
    """A day as written in a document of the current language: 2026年6月1日, June 1, 2026."""
    return format_date(day, "long")
