"""Demo accounts: two enterprises with a dozen workers each across the skill ladder, and one account per role
(a town union officer of enterprise A's town among them; enterprise B moved out of that town in 2024).
Every demo account's password is DEMO_PASSWORD (listed in README).
"""

from __future__ import annotations

from datetime import date, datetime

from core import clock
from core.clock import SHANGHAI
from models import Enterprise, EnterpriseTownSpan, Role, Town, Trade, User, UserRole, db
from models.accounts import EARLIEST
from services.common import passwords
from services.common.reference import ensure_reference_data
from services.common.validators import credit_code_check_char

DEMO_PASSWORD = "Jiangxin@2026"


def demo_credit_code(serial: int) -> str:
    """A well-formed credit code for demo enterprises (Jinjiang region code 350582)."""
    first17 = f"91350582MA{serial:07d}"
    return first17 + credit_code_check_char(first17)


ENTERPRISES = (
    ("A", "晋江市恒信鞋业有限公司", "陈埭镇", "footwear", "运动鞋制作工"),
    ("B", "晋江市华彩纺织有限公司", "英林镇", "textile", "纺织纺纱工"),
)

SURNAMES = "陈林黄吴王许蔡施洪张李苏"
GIVEN = ("志强", "丽芳", "建华", "秀英", "国平", "美玲", "文斌", "晓燕", "海峰", "雅婷", "明辉", "春梅")

# (username, name, phone, roles, enterprise key, skill rank)
ACCOUNTS = (
    ("admin", "王建国", "13800000001", {Role.ADMIN}, None, None),
    ("hr_a", "林秀珍", "13800000011", {Role.HR}, "A", None),
    ("hr_b", "黄志明", "13800000021", {Role.HR}, "B", None),
    ("judge", "陈德华", "13800000031", {Role.JUDGE, Role.WORKER}, "B", 5),
    ("worker", "吴小龙", "13900000001", {Role.WORKER}, "A", 2),
    ("town", "许振华", "13800000041", {Role.TOWN}, None, None),
)

# The town union officer's town: enterprise A's (so the officer sees A's people and records, not B's).
OFFICER_TOWN = ENTERPRISES[0][2]


# Enterprise B moved from enterprise A's town to its present one on this day (its town history shows it
# on the admin's edit page; records made before it count for the old town).
MOVED_ON = datetime(2024, 1, 1, tzinfo=SHANGHAI)


def _moved_before(enterprise: Enterprise, old_town: Town, moved_on: datetime) -> None:
    """Give `enterprise` an earlier period in `old_town`, up to `moved_on` (once: its only span is
    still the one the enterprise was created with)."""
    spans = db.session.scalars(db.select(EnterpriseTownSpan).where(
        EnterpriseTownSpan.enterprise_id == enterprise.id)).all()
    if len(spans) != 1 or spans[0].town_id == old_town.id:
        return
    spans[0].valid_from = moved_on
    db.session.add(EnterpriseTownSpan(enterprise_id=enterprise.id, town_id=old_town.id, valid_from=EARLIEST,
                                      valid_to=moved_on))


def password_hash() -> str:
    return passwords.hash_password(DEMO_PASSWORD)


def seed() -> dict:
    """Enterprises, one account per role and a dozen workers per enterprise; returns counts added."""
    ensure_reference_data()
    added = {"enterprises": 0, "accounts": 0}
    towns = {t.name: t for t in db.session.scalars(db.select(Town))}
    trades = {t.name: t for t in db.session.scalars(db.select(Trade))}
    enterprises = {}
    for serial, (key, name, town, industry, _trade) in enumerate(ENTERPRISES, start=1):
        code = demo_credit_code(serial)
        enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == code))
        if enterprise is None:
            enterprise = Enterprise(name=name, credit_code=code, town_id=towns[town].id, industry=industry)
            db.session.add(enterprise)
            added["enterprises"] += 1
        enterprises[key] = enterprise
    db.session.flush()
    _moved_before(enterprises["B"], towns[OFFICER_TOWN], MOVED_ON)

    hashed = None
    for username, name, phone, roles, ent_key, rank in ACCOUNTS:
        if db.session.scalar(db.select(User.id).where(User.username == username)):
            continue
        hashed = hashed or password_hash()
        enterprise = enterprises.get(ent_key)
        trade = trades[ENTERPRISES[0 if ent_key == "A" else 1][4]] if ent_key else None
        user = User(
            username=username, name=name, phone=phone, password_hash=hashed, activated_at=clock.now(),
            enterprise_id=enterprise.id if enterprise else None,
            employee_no=f"{ent_key}8{phone[-3:]}" if ent_key else None,
            trade_id=trade.id if trade and Role.WORKER in roles else None,
            skill_level=rank, hire_date=date(2015, 3, 1) if ent_key else None,
            birth_date=date(1985, 6, 15) if ent_key else None,
        )
        user.role_rows = [UserRole(role=str(r), town_id=towns[OFFICER_TOWN].id if r == Role.TOWN else None)
                          for r in sorted(roles)]
        db.session.add(user)
        added["accounts"] += 1

    for index, (key, _name, _town, _industry, trade_name) in enumerate(ENTERPRISES):
        enterprise = enterprises[key]
        for n in range(12):
            phone = f"139{index + 1:02d}{n + 100:06d}"
            if db.session.scalar(db.select(User.id).where(User.phone == phone)):
                continue
            hashed = hashed or password_hash()
            user = User(
                name=SURNAMES[n] + GIVEN[(n + index * 5) % len(GIVEN)], phone=phone,
                password_hash=hashed, activated_at=clock.now(), enterprise_id=enterprise.id,
                employee_no=f"{key}{n + 1:04d}",
                trade_id=trades[trade_name if n % 3 else "缝纫工"].id, skill_level=n % 8,
                hire_date=date(2008 + n, 1 + n % 12, 1), birth_date=date(1970 + n * 2, 1 + n % 12, 10),
            )
            user.role_rows = [UserRole(role=str(Role.WORKER))]
            db.session.add(user)
            added["accounts"] += 1
    db.session.flush()
    initial_skill_history()
    return added


def initial_skill_history() -> None:
    """Every demo worker's level starts its history (as HR's account creation does)."""
    from models.skills import REASON_INITIAL, SkillLevelChange

    has_history = db.select(SkillLevelChange.user_id)
    for user in db.session.scalars(
        db.select(User).where(User.skill_level.is_not(None), User.id.not_in(has_history))
    ):
        db.session.add(SkillLevelChange(user_id=user.id, level=user.skill_level, reason=REASON_INITIAL,
                                        effective_date=user.hire_date or date(2015, 1, 1)))
    db.session.flush()
