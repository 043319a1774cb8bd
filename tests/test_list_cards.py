"""Every list and ranking follows the one phone pattern of templates/_macros/ui.html: a table with class
table-cards whose body cells name their column (data-label), so that below 576 px each row is a card.

Read from the templates themselves, so a new list cannot forget it. Documents (the printable sign-in and
score sheets, the mentoring agreement) are key-value sheets, not lists, and are left out by name."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
DOCUMENTS = {"competitions/print_sign_in.html", "competitions/print_score_sheets.html", "mentorship/agreement.html"}
# A body cell may go without a label when it spans the row (the empty-list line) or holds buttons or the lead.
UNLABELLED_OK = re.compile(r'colspan=|class="[^"]*\b(cell-action|cell-primary)\b')


def _tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in DOCUMENTS:
            continue
        for table in re.finditer(r"<table\b.*?</table>", path.read_text(encoding="utf-8"), re.S):
            yield name, table.group(0)


def test_every_list_table_turns_into_cards_on_the_phone():
    tables = list(_tables())
    assert len(tables) > 30  # the scan sees the lists
    plain = [name for name, table in tables if "table-cards" not in table.split(">", 1)[0]]
    assert plain == []


def test_every_body_cell_names_its_column():
    unlabelled = []
    for name, table in _tables():
        body = table.split("<tbody", 1)[-1]
        for cell in re.findall(r"<td\b[^>]*>", body):
            if "data-label=" not in cell and not UNLABELLED_OK.search(cell):
                unlabelled.append((name, cell))
    assert unlabelled == []


def test_a_card_leads_with_its_title_and_ends_with_its_action():
    """The lead of a card (cell-primary) is what the row is about, never its button; the buttons
    (cell-action) come last (app.css orders them so)."""
    mixed = []
    for name, table in _tables():
        body = table.split("<tbody", 1)[-1]
        for cell in re.findall(r"<td\b[^>]*>", body):
            classes = re.search(r'class="([^"]*)"', cell)
            names = set(classes.group(1).split()) if classes else set()
            if {"cell-action", "cell-primary"} <= names:
                mixed.append((name, cell))
        for lead in re.finditer(r"<td\b[^>]*cell-primary[^>]*>(.*?)</td>", body, re.S):
            if "<form" in lead.group(1) or 'class="btn' in lead.group(1):  # buttons lead the card
                mixed.append((name, lead.group(0)[:80]))
    assert mixed == []
    css = (TEMPLATES.parent / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"\.cell-action \{[^}]*order: 99", css)


def test_every_filter_bar_says_which_filters_are_on():
    """A filter bar (a GET form with class filter-bar) is followed by filter_status: the active filters
    and a 清除筛选 link (templates/_macros/ui.html)."""
    bars = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<form method="get"[^>]*filter-bar', text):
            after = text[match.end():]
            bars.append((path.name, "{{ filter_status(" in after[:after.index("</form>") + 40]))
    assert len(bars) >= 9 and all(ok for _name, ok in bars), bars
