"""The scope of a report (issue 16): the city, one town, or one enterprise; who may read which; and the
SQL that attributes a record to a scope.

Rules (docs/domain.md, "The yearly report"):
- Union admins read the city and any town or enterprise; a town officer their own town and the
  enterprises now in it; HR their own enterprise only; nobody else reads a report (NotAllowed). A town or
  enterprise outside the reader's reach is answered NotFound.
- A person's record (a proposal, an entry, a pair, a nomination, an attendance) counts for the scope its
  enterprise belonged to when the record was made: the enterprise itself, and the town that enterprise
  was in at that moment (services.policy.town_condition with the record's time). The city counts all.
- An event (a competition held, a programme run) counts for its owner and rolls up: a town's own events
  and its enterprises' (services.common.owners.owned_by_clause), the city everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, true

from core.l10n import lazy_gettext as _l
from models import Enterprise, Town, db
from services import policy
from services.accounts.enterprises import get_enterprise
from services.common import owners
from services.errors import NotAllowed, NotFound

CITY, TOWN, ENTERPRISE = "city", "town", "enterprise"


@dataclass(frozen=True)
class ReportScope:
    """A node of the union's tree the report is about, with its name as shown."""

    kind: str
    id: int | None
    name: str

    @property
    def key(self) -> str:
        return self.kind if self.id is None else f"{self.kind}-{self.id}"


def resolve(actor, town_id: int | None = None, enterprise_id: int | None = None) -> ReportScope:
    """The scope `actor` asks for (an enterprise, else a town, else their own node), checked.

    NotAllowed for someone without an office; NotFound for a town or enterprise that does not exist or
    lies outside the actor's part of the tree."""
    node = policy.management_scope(actor)
    if node.kind == policy.NOBODY:
        raise NotAllowed(_l("只有工会干部和企业人力资源可以查看统计报告。"))
    if enterprise_id is not None:
        enterprise = get_enterprise(enterprise_id, actor)
        return ReportScope(ENTERPRISE, enterprise.id, enterprise.name)
    if town_id is not None:
        town = db.session.get(Town, town_id)
        if town is None or node.kind not in (policy.CITY, policy.TOWN) or (
                node.kind == policy.TOWN and node.id != town.id):
            raise NotFound(_l("找不到这个镇（街道）。"))
        return ReportScope(TOWN, town.id, str(town.label))
    if node.kind == policy.CITY:
        return ReportScope(CITY, None, str(_l("全市")))
    if node.kind == policy.TOWN:
        return resolve(actor, town_id=node.id)
    return resolve(actor, enterprise_id=node.id)


def own_scope(actor, town: dict | None = None) -> ReportScope:
    """resolve(actor): the actor's own node. `town` ({"id", "name"}: the name in the reader's language) is
    a town the caller has read already (the home page, with its figures): a town officer of that town
    then has their scope without reading the town again."""
    node = policy.management_scope(actor)
    if town is not None and node.kind == policy.TOWN and node.id == town["id"]:
        return ReportScope(TOWN, town["id"], str(town["name"]))
    return resolve(actor)


def town_of(scope: ReportScope) -> int | None:
    """The town a scope lies in now: the town itself, an enterprise's current town (one query), None for
    the city. The report's filter shows it, so that when an enterprise and a town are both asked for (the
    enterprise wins, `resolve`) the town drop-down names the enterprise's town, not the one typed."""
    if scope.kind == TOWN:
        return scope.id
    if scope.kind == ENTERPRISE:
        return db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == scope.id))
    return None


def records(scope: ReportScope, enterprise_column, at=None):
    """SQL: a record whose enterprise is `enterprise_column` (at the record's time `at`, a column)
    counts for `scope`."""
    if scope.kind == CITY:
        return true()
    if scope.kind == ENTERPRISE:
        return enterprise_column == scope.id
    return policy.town_condition(scope.id, enterprise_column, at)


def events(scope: ReportScope, model):
    """SQL on an owned model (owner_level, owner_enterprise_id, owner_town_id): the events of the scope's
    owner and those below it."""
    if scope.kind == CITY:
        return true()
    if scope.kind == ENTERPRISE:
        return owners.owned_by_clause(model, ENTERPRISE, enterprise_id=scope.id)
    return owners.owned_by_clause(model, TOWN, town_id=scope.id, roll_up=True)


def enterprises(scope: ReportScope):
    """SQL on Enterprise: the member enterprises now in the scope."""
    if scope.kind == CITY:
        return true()
    if scope.kind == ENTERPRISE:
        return Enterprise.id == scope.id
    return Enterprise.id.in_(select(Enterprise.id).where(Enterprise.town_id == scope.id))
