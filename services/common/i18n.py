"""Text that is stored now and translated when shown (job results, messages, notes).

A service that writes a sentence into the database (a job's outcome, a message to a person) must not
freeze it in the language of the moment: it stores `deferred("已导出 %(n)d 条。", n=46000)`, that is
the Chinese source text and its arguments, and the page translates it into the reader's language.
`deferred` is also a keyword of `make extract-messages`, so the source text lands in the catalog.
An argument may itself be a Deferred (a label inside a sentence, e.g. a skill level): it is stored
with the text and translated with it. `stored_text` shows either form (a Deferred's JSON, or plain
text kept by older rows) to the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext


@dataclass(frozen=True)
class Deferred:
    """A source text (msgid) with its named arguments; `str()` translates it for the current reader."""

    text: str
    args: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return gettext(self.text, **{name: _shown(value) for name, value in self.args.items()})

    def as_json(self) -> dict:
        return {"text": self.text, "args": {name: _stored(value) for name, value in self.args.items()}}

    @classmethod
    def from_json(cls, data: dict | None) -> Deferred | None:
        if not data:
            return None
        return cls(data["text"], {name: _loaded(value) for name, value in (data.get("args") or {}).items()})


def _shown(value):
    """An argument as the reader sees it: a nested Deferred (a label inside a sentence) translated too."""
    return str(value) if isinstance(value, Deferred) else value


def _stored(value):
    return {"deferred": value.as_json()} if isinstance(value, Deferred) else value


def _loaded(value):
    """A stored argument back: {"deferred": {...}} (or an older bare {"text": ...}) as a Deferred."""
    if isinstance(value, dict) and set(value) == {"deferred"}:
        return Deferred.from_json(value["deferred"])
    if isinstance(value, dict) and "text" in value:
        return Deferred.from_json(value)
    return value


def stored_text(value) -> str:
    """Text kept in the database as a Deferred (JSON) or as plain text (older rows), for the reader."""
    if isinstance(value, dict) and "text" in value:
        return str(Deferred.from_json(value))
    return "" if value is None else str(value)


def deferred(text: str, **args) -> Deferred:
    """Mark `text` for translation at display time; `args` fill its %(name)s placeholders."""
    return Deferred(text, args)


def as_deferred(message) -> Deferred:
    """A Deferred for a message given as a Deferred, a lazy_gettext string (its msgid is kept) or text."""
    if isinstance(message, Deferred):
        return message
    func_args = getattr(message, "_args", None)  # flask_babel's LazyString keeps its msgid and arguments
    if func_args and isinstance(func_args[0], str):
        return Deferred(func_args[0], dict(getattr(message, "_kwargs", {}) or {}))
    return Deferred(str(message))
