"""Plain rows: a list page's lines read as plain columns (no ORM entities, which cost several times
more to build and read) into small objects whose fields are named by the subclass's `__slots__`, in
the order of the select's columns."""

from __future__ import annotations


class PlainRow:
    """Base of a plain row: `Row(*values)` sets each field of `__slots__` in order (as many values as
    fields, else TypeError). Each subclass gets an __init__ made for its fields (one assignment of them
    all, not a setattr per field: a page builds fifty rows)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        names = cls.__dict__.get("__slots__", ())
        if isinstance(names, str):
            names = (names,)
        if not names or "__init__" in cls.__dict__:
            return
        if not all(name.isidentifier() for name in names):
            raise TypeError(f"{cls.__name__}: __slots__ must be identifiers")
        fields = ", ".join(names)
        code = f"def __init__(self, {fields}):\n    self.{', self.'.join(names)}, = {fields},\n"
        namespace: dict = {}
        exec(code, {}, namespace)  # noqa: S102 - names checked above: the fields of the class's own __slots__
        cls.__init__ = namespace["__init__"]


def translated(labels: dict) -> dict:
    """`labels` (code -> lazy label) with each label translated now, in the reader's language: a page that
    shows them per row reads a plain text instead of translating a lazy label (~20 calls) each time."""
    return {code: str(label) for code, label in labels.items()}


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
