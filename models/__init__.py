"""The database object and every model module.

`db` is created here (with a constraint naming convention so Alembic can name and drop constraints
on SQLite and PostgreSQL alike) and each model module is imported below, so that Alembic's
autogenerate sees all tables and nothing here imports app.py.
"""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def for_dialect(dialect_name: str):
    """Alembic's `include_object` for one database: leaves out the schema objects the models create
    only on another database (`.ddl_if(dialect=...)`, e.g. PostgreSQL's varchar_pattern_ops indexes),
    which Alembic's comparison does not know about by itself."""

    def include_object(obj, _name, _type, _reflected, _compare_to) -> bool:
        only_on = getattr(obj, "_ddl_if", None)
        return only_on is None or only_on.dialect is None or only_on.dialect == dialect_name

    return include_object

# Every model module, so that Alembic and the test schema see all tables. The area modules
# (competitions, mentorship, proposals, titles) are imported for their tables only, judge_pool for its
# flush hook (user.in_judge_pool).
from models import (  # noqa: E402,F401
    achievements,
    competition_tallies,
    competitions,
    honours,
    judge_pool,
    mentorship,
    proposal_similarity,
    proposal_tallies,
    proposals,
    titles,
    training,
)
from models.accounts import Enterprise, EnterpriseTownSpan, Role, Town, Trade, User, UserRole  # noqa: E402
from models.activation import ActivationCode  # noqa: E402
from models.audit import AuditLog  # noqa: E402
from models.counts import AccountCount  # noqa: E402
from models.data_version import DataVersion  # noqa: E402
from models.employment import Employment, Transfer  # noqa: E402
from models.files import StoredFile  # noqa: E402
from models.imports import ImportBatch, ImportRow  # noqa: E402
from models.jobs import Job, JobFile, PeriodicRun  # noqa: E402
from models.messages import ChannelConfig, Message, MessageDelivery, NotificationPreference  # noqa: E402
from models.notices import Objection, PublicNotice  # noqa: E402
from models.once import FormToken  # noqa: E402
from models.skills import SKILL_LEVELS, SkillLevel, SkillLevelChange  # noqa: E402

__all__ = [
    "AccountCount",
    "ActivationCode",
    "AuditLog",
    "ChannelConfig",
    "DataVersion",
    "Employment",
    "Enterprise",
    "EnterpriseTownSpan",
    "FormToken",
    "ImportBatch",
    "ImportRow",
    "Job",
    "JobFile",
    "Message",
    "MessageDelivery",
    "NotificationPreference",
    "Objection",
    "PeriodicRun",
    "PublicNotice",
    "Role",
    "SKILL_LEVELS",
    "SkillLevel",
    "SkillLevelChange",
    "StoredFile",
    "Town",
    "Trade",
    "Transfer",
    "User",
    "UserRole",
    "db",
]
