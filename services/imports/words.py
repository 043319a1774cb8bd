"""How people write the roster's vocabulary in their spreadsheets: skill levels (高级工, 高级工（三级）,
三级, 3级) and education levels (本科, 大专, 初中...), read into the platform's codes."""

from __future__ import annotations

from services.common.tables import header_key

# The ladder by the names people write: 高级工, 高级工（三级）, 三级, 3级.
_LEVEL_WORDS = {
    "学徒工": 0, "学徒": 0, "初级工": 1, "五级": 1, "5级": 1, "中级工": 2, "四级": 2, "4级": 2,
    "高级工": 3, "三级": 3, "3级": 3, "技师": 4, "二级": 4, "2级": 4, "高级技师": 5, "一级": 5, "1级": 5,
    "特级技师": 6, "首席技师": 7,
}
_EDUCATION_WORDS = {
    "初中及以下": "junior_high", "初中": "junior_high", "小学": "junior_high", "高中": "high_school",
    "中专": "secondary_vocational", "技校": "secondary_vocational", "职高": "secondary_vocational",
    "大专": "college", "专科": "college", "本科": "bachelor", "研究生": "postgraduate", "硕士": "postgraduate",
    "博士": "postgraduate",
}


def level_rank(text: str) -> int | None:
    """The ladder rank a written level names (高级工, 高级工（三级）, 三级), None when it names none."""
    key = header_key(text)
    if key in _LEVEL_WORDS:
        return _LEVEL_WORDS[key]
    return _LEVEL_WORDS.get(header_key(text.split("（")[0].split("(")[0]))


def education_code(text: str) -> str | None:
    """The education code a written level names (本科, 大专, 初中及以下...), None when it names none."""
    return _EDUCATION_WORDS.get(header_key(text))
