"""Reference data every instance needs: the towns and streets of Jinjiang and common trades.

The first migration inserts these; `ensure_reference_data()` adds any missing ones (used by the
demo seed and by tests that start from an empty schema). The stored names stay Chinese; readers
see their labels (models/vocabulary.py TOWN_LABELS and TRADE_LABELS, through Town.label / Trade.label).
"""

from __future__ import annotations

from models import Town, Trade, db

DEFAULT_TOWNS = (
    "青阳街道", "梅岭街道", "西园街道", "罗山街道", "灵源街道", "新塘街道",
    "陈埭镇", "池店镇", "安海镇", "磁灶镇", "内坑镇", "紫帽镇", "东石镇", "永和镇",
    "英林镇", "金井镇", "龙湖镇", "深沪镇", "西滨镇",
)

DEFAULT_TRADES = (
    "制鞋工", "运动鞋制作工", "缝纫工", "服装制版师", "纺织纺纱工", "织布工", "印染工",
    "电工", "焊工", "钳工", "数控车工", "机修工", "模具工", "陶瓷成型工", "食品检验工",
    "叉车司机", "质检员", "化学检验员",
)


def ensure_reference_data() -> None:
    existing_towns = set(db.session.scalars(db.select(Town.name)))
    for order, name in enumerate(DEFAULT_TOWNS):
        if name not in existing_towns:
            db.session.add(Town(name=name, sort_order=order))
    existing_trades = set(db.session.scalars(db.select(Trade.name)))
    for name in DEFAULT_TRADES:
        if name not in existing_trades:
            db.session.add(Trade(name=name))
    db.session.flush()
