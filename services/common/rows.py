"""Plain rows: a list page's lines read as plain columns (no ORM entities, which cost several times
more to build and read) into small objects whose fields are named by the subclass's `__slots__`, in
the order of the select's columns."""

from __future__ import annotations


class PlainRow:
    """Base of a plain row: `Row(*values)` sets each field of `__slots__` in order (as many values as
    fields)."""

    __slots__ = ()

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def label_texts():
    """A memo for one page's rows: `text(label_of, code)` is str(label_of(code)), the label's text in the
    reader's language (a lazy label translated once a page for each code, not once a cell). Local to the
    caller: nothing is kept between pages."""
    texts: dict = {}

    def text(label_of, code) -> str:
        key = (label_of, code)
        found = texts.get(key)
        if found is None:
            found = texts[key] = str(label_of(code))
        return found

    return text
