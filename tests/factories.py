"""factory_boy factories for the models; all commit, so views in tests see their rows."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory

from core import clock
from models import Enterprise, Role, Town, Trade, User, UserRole, db
from services.common.passwords import hash_password
from services.common.validators import credit_code_check_char

PASSWORD = "Sturdy-Pass-2026"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def valid_credit_code(n: int) -> str:
    first17 = f"91350582MA{n:07d}"
    return first17 + credit_code_check_char(first17)


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = db.session
        sqlalchemy_session_persistence = "commit"


class TownFactory(BaseFactory):
    class Meta:
        model = Town
        sqlalchemy_get_or_create = ("name",)

    name = "陈埭镇"
    sort_order = 0


class TradeFactory(BaseFactory):
    class Meta:
        model = Trade
        sqlalchemy_get_or_create = ("name",)

    name = "制鞋工"


class EnterpriseFactory(BaseFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"晋江测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1))
    town = factory.SubFactory(TownFactory)
    industry = "footwear"
    is_member = True
    is_active = True


class UserFactory(BaseFactory):
    class Meta:
        model = User

    class Params:
        roles = (Role.WORKER,)

    name = factory.Sequence(lambda n: f"测试{n}号")
    username = factory.Sequence(lambda n: f"user{n}")
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    password_hash = factory.LazyFunction(password_hash)
    activated_at = factory.LazyFunction(clock.now)
    enterprise = factory.SubFactory(EnterpriseFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    trade = factory.SubFactory(TradeFactory)
    skill_level = 2
    hire_date = date(2015, 3, 1)
    birth_date = date(1990, 5, 20)
    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=str(r)) for r in o.roles])


class WorkerFactory(UserFactory):
    pass


class HRFactory(UserFactory):
    class Params:
        roles = (Role.HR,)

    trade = None
    skill_level = None


class AdminFactory(UserFactory):
    class Params:
        roles = (Role.ADMIN,)

    enterprise = None
    employee_no = None
    trade = None
    skill_level = None


class TownOfficerFactory(UserFactory):
    """A town union officer (镇街工会干部) of `town` (a Town, required): no enterprise of their own."""

    class Params:
        town = None

    enterprise = None
    employee_no = None
    trade = None
    skill_level = None
    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=str(Role.TOWN), town_id=o.town.id)])


class JudgeFactory(UserFactory):
    class Params:
        roles = (Role.JUDGE,)

    skill_level = 5


@dataclass
class World:
    enterprise_a: Enterprise
    enterprise_b: Enterprise
    hr_a: User
    hr_b: User
    worker_a: User
    worker_b: User
    judge: User
    admin: User
    town_a: User  # town union officer of enterprise A's town
    town_b: User  # town union officer of enterprise B's town (another town)

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def _factories(base=None) -> list[type]:
    base = base or BaseFactory
    found = []
    for sub in base.__subclasses__():
        found += [sub, *_factories(sub)]
    return found


@contextmanager
def one_commit():
    """Factories called inside flush their rows but do not commit; one commit at the end. A world is a dozen
    rows, and a commit each (the data version moved, the session expired) cost more than the rows: most of
    the route walk's time."""
    kept = {cls: cls._meta.sqlalchemy_session_persistence for cls in _factories()}
    for cls in kept:
        cls._meta.sqlalchemy_session_persistence = "flush"
    try:
        yield
    finally:
        for cls, persistence in kept.items():
            cls._meta.sqlalchemy_session_persistence = persistence
    db.session.commit()


def build_world() -> World:
    with one_commit():
        enterprise_a = EnterpriseFactory(name="甲鞋业有限公司")
        enterprise_b = EnterpriseFactory(name="乙纺织有限公司", town=TownFactory(name="池店镇"))
        world = World(
            enterprise_a=enterprise_a,
            enterprise_b=enterprise_b,
            hr_a=HRFactory(enterprise=enterprise_a, name="甲企人事"),
            hr_b=HRFactory(enterprise=enterprise_b, name="乙企人事"),
            worker_a=WorkerFactory(enterprise=enterprise_a, name="甲企职工"),
            worker_b=WorkerFactory(enterprise=enterprise_b, name="乙企职工"),
            judge=JudgeFactory(enterprise=enterprise_b, name="评委老陈"),
            admin=AdminFactory(name="总工会管理员"),
            town_a=TownOfficerFactory(town=enterprise_a.town, name="甲镇工会干部"),
            town_b=TownOfficerFactory(town=enterprise_b.town, name="乙镇工会干部"),
        )
    return world
