"""Parts of a list page a template makes once per page instead of once per row: PageMemo (what a row shows
in words for a value, made once per value) and Slotted (markup with the row's id left open). Only
presentation: what the page shows is the same to the character."""

from __future__ import annotations

from markupsafe import Markup


class PageMemo(dict):
    """`make(key)` for each key a template looks up as `memo[key]`, made on the first lookup and kept for the
    page: a list whose rows show the same few values (a status's words, an amount of hours) makes each once
    (`make` may be one of the template's macros) instead of once per row, and a lookup is one call where a
    macro's, a function's or `_()`'s from a template is several. Lives as long as the page's render."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class Slotted:
    """Markup rendered once per page with a row's id left as `slot` (a text the markup shows nowhere
    else): `fragment[row_id]` is that markup with the row's id in every slot, what rendering it with the id
    would give (an int's text has nothing to escape), in one step instead of Jinja's `replace` filter."""

    def __init__(self, markup: Markup, slot: str):
        self.text, self.slot = str(markup), slot

    def __getitem__(self, row_id: int) -> Markup:
        return Markup(self.text.replace(self.slot, str(int(row_id))))
