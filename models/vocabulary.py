"""Vocabularies shared by several parts: levels of the union's tree and of outside contests, prizes.

Every label table in models/ has one shape: a dict from the code stored in the database to its lazy
(translatable) label, named `<THING>_LABELS`; where order matters a tuple of the codes sits beside it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Levels, lowest first: who runs or awards something (an event, a title, a higher-level result).
LEVELS = ("enterprise", "town", "city", "prefecture", "province", "national", "international")
LEVEL_LABELS = {
    "enterprise": _l("企业级"),
    "town": _l("镇（街道）级"),
    "city": _l("市级"),
    "prefecture": _l("地市级（泉州）"),
    "province": _l("省级"),
    "national": _l("国家级"),
    "international": _l("国际级"),
}
# Levels at which the platform's own competitions are held (higher ones are recorded as results).
COMPETITION_LEVELS = LEVELS[:5]

# Prizes of proposals and competitions, best first.
PRIZES = ("first", "second", "third", "honourable")
PRIZE_LABELS = {
    "first": _l("一等奖"),
    "second": _l("二等奖"),
    "third": _l("三等奖"),
    "honourable": _l("优秀奖"),
}


def prize_label(code: str | None):
    """The label of a prize code ("" for none); anything else (e.g. text of an older record) shows as it is."""
    return PRIZE_LABELS.get(code, code) if code else ""
