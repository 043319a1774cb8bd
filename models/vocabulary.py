"""Vocabularies shared by several parts: levels of the union's tree and of outside contests, prizes.

Every label table in models/ has one shape: a dict from the code stored in the database to its lazy
(translatable) label, named `<THING>_LABELS`; where order matters a tuple of the codes sits beside it.
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l

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

# Platform reference data seeded in Chinese (services/common/reference.py inserts these names). The stored
# name stays the key; readers see its label. A name added later by an administrator shows as typed.
TOWN_LABELS = {
    "青阳街道": _l("青阳街道"), "梅岭街道": _l("梅岭街道"), "西园街道": _l("西园街道"),
    "罗山街道": _l("罗山街道"), "灵源街道": _l("灵源街道"), "新塘街道": _l("新塘街道"),
    "陈埭镇": _l("陈埭镇"), "池店镇": _l("池店镇"), "安海镇": _l("安海镇"), "磁灶镇": _l("磁灶镇"),
    "内坑镇": _l("内坑镇"), "紫帽镇": _l("紫帽镇"), "东石镇": _l("东石镇"), "永和镇": _l("永和镇"),
    "英林镇": _l("英林镇"), "金井镇": _l("金井镇"), "龙湖镇": _l("龙湖镇"), "深沪镇": _l("深沪镇"),
    "西滨镇": _l("西滨镇"),
}
TRADE_LABELS = {
    "制鞋工": _l("制鞋工"), "运动鞋制作工": _l("运动鞋制作工"), "缝纫工": _l("缝纫工"),
    "服装制版师": _l("服装制版师"), "纺织纺纱工": _l("纺织纺纱工"), "织布工": _l("织布工"),
    "印染工": _l("印染工"), "电工": _l("电工"), "焊工": _l("焊工"), "钳工": _l("钳工"),
    "数控车工": _l("数控车工"), "机修工": _l("机修工"), "模具工": _l("模具工"),
    "陶瓷成型工": _l("陶瓷成型工"), "食品检验工": _l("食品检验工"), "叉车司机": _l("叉车司机"),
    "质检员": _l("质检员"), "化学检验员": _l("化学检验员"),
}
# Honours the default prize table recommends (services/competitions/setup.py DEFAULT_PRIZE_TIERS).
HONOUR_LABELS = {"五一劳动奖章": _l("五一劳动奖章"), "技术能手": _l("技术能手")}
# The default titles (services/titles/types.py DEFAULT_TITLES).
TITLE_LABELS = {"晋江工匠": _l("晋江工匠"), "泉州工匠": _l("泉州工匠"), "福建省金牌工人": _l("福建省金牌工人")}
# The default rubric of a Five Small campaign (services/proposals/campaigns.py): same rule as above.
CRITERION_LABELS = {
    "创新性": _l("创新性"), "可行性": _l("可行性"), "经济效益": _l("经济效益"), "推广价值": _l("推广价值"),
}


# Education levels (学历) a person's profile may carry, in order; the code is stored on the user.
EDUCATION_LEVELS = {
    "junior_high": _l("初中及以下"),
    "high_school": _l("高中"),
    "secondary_vocational": _l("中专"),
    "college": _l("大专"),
    "bachelor": _l("本科"),
    "postgraduate": _l("研究生"),
}


def education_label(code: str | None):
    """The label of an education code ("" for none)."""
    return EDUCATION_LEVELS.get(code, code) if code else ""


def reference_label(labels: dict, name: str | None):
    """The label of a platform default name; a name typed by a person shows as typed."""
    return labels.get(name, name) if name else ""
