"""Owners of events (docs/domain.md, "Owners and levels"): every campaign, competition and training
programme belongs to an enterprise (run by its HR / enterprise union), a town (its town officers) or the
city (union administrators).

`Owned` is the mixin of the three owner columns, the database check that exactly the owner's node is set
(`owner_check`), and how the owner is shown. The rules of who runs, oversees and sees an owned object
live in services/common/owners.py.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models.vocabulary import TOWN_LABELS, reference_label

OWNER_ENTERPRISE = "enterprise"
OWNER_TOWN = "town"
OWNER_CITY = "city"
OWNER_LEVELS = (OWNER_ENTERPRISE, OWNER_TOWN, OWNER_CITY)
OWNER_LEVEL_LABELS = {
    OWNER_ENTERPRISE: _l("企业级"),
    OWNER_TOWN: _l("镇街级"),
    OWNER_CITY: _l("市级"),
}

# The one shape of an owner: the city has no node, a town its town, an enterprise its enterprise.
OWNER_CHECK_SQL = (
    "(owner_level = 'city' AND owner_enterprise_id IS NULL AND owner_town_id IS NULL)"
    " OR (owner_level = 'town' AND owner_town_id IS NOT NULL AND owner_enterprise_id IS NULL)"
    " OR (owner_level = 'enterprise' AND owner_enterprise_id IS NOT NULL AND owner_town_id IS NULL)")


def owner_check() -> CheckConstraint:
    """The check constraint (named "owner") every owned table carries in its __table_args__."""
    return CheckConstraint(OWNER_CHECK_SQL, name="owner")


class Owned:
    """Mixin: owner_level plus the owning enterprise or town, and the owner as shown."""

    owner_level: Mapped[str] = mapped_column(String(16), default=OWNER_CITY, server_default=OWNER_CITY)

    @declared_attr
    def owner_enterprise_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("enterprise.id"), index=True)

    @declared_attr
    def owner_town_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("town.id"), index=True)

    @declared_attr
    def owner_enterprise(cls):  # noqa: N805
        return relationship("Enterprise", foreign_keys=[cls.owner_enterprise_id])

    @declared_attr
    def owner_town(cls):  # noqa: N805
        return relationship("Town", foreign_keys=[cls.owner_town_id])

    @property
    def owner_level_label(self):
        return OWNER_LEVEL_LABELS.get(self.owner_level, self.owner_level)

    @property
    def owner_name(self):
        """The owner as shown: the enterprise's or town's name, or the city union."""
        enterprise = self.owner_enterprise if self.owner_level == OWNER_ENTERPRISE else None
        town = self.owner_town if self.owner_level == OWNER_TOWN else None
        return owner_name_of(self.owner_level, enterprise and enterprise.name, town and town.name)


def owner_name_of(owner_level: str, enterprise_name: str | None, town_name: str | None):
    """The owner as shown, from plain columns: the owning enterprise's name, the owning town's label (in
    the reader's language), or the city union (also when the owner's name is missing)."""
    if owner_level == OWNER_ENTERPRISE and enterprise_name is not None:
        return enterprise_name
    if owner_level == OWNER_TOWN and town_name is not None:
        return reference_label(TOWN_LABELS, town_name)
    return _l("市总工会")
