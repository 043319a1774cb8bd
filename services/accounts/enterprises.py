"""Enterprises: the union admin creates, edits, deactivates and reactivates them.

Rules: the unified social credit code is valid (shape and GB 32100 check character, docs/domain.md
"Vocabulary") and unique; the name has at most 100 characters; the town and industry are known;
only union admins change enterprises (accounts.policy.require_enterprise_manager). Deactivating an
enterprise keeps its records but its people can no longer log in. Every change is audited. A move to
another town closes the enterprise's town period and opens a new one (models.EnterpriseTownSpan, kept
by a flush hook): records made before the move stay counted for the old town.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.l10n import lazy_gettext as _l
from models import Enterprise, EnterpriseTownSpan, Town, db
from models.accounts import INDUSTRIES
from models.vocabulary import TOWN_LABELS, reference_label
from services import policy
from services.accounts import policy as accounts_policy
from services.accounts.search import add_enterprise_search
from services.common import audit, figures_cache
from services.common.rows import PlainRow
from services.common.validators import is_valid_credit_code, normalize_credit_code
from services.errors import NotFound, RuleViolation


@dataclass
class EnterpriseData:
    """The editable fields of an enterprise; the view fills it from the form."""

    name: str = ""
    credit_code: str = ""
    town_id: int | None = None
    industry: str = ""
    is_member: bool = True


def get_enterprise(enterprise_id: int, actor=None) -> Enterprise:
    """The enterprise with this id (with `actor`: only in the actor's part of the union's tree,
    services.policy.in_scope); NotFound (404) otherwise."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or (actor is not None and not policy.in_scope(actor, enterprise.id)):
        raise NotFound(_l("找不到这个企业。"))
    return enterprise


def enterprises_query(*, search=None, town_id=None, industry=None, active=None, actor=None):
    """Enterprises filtered by the enterprise search (services.accounts.search: the start of the
    name, also after the city's prefix, or of the credit code), town, industry and state; by name.
    With `actor`, only those in the actor's part of the union's tree (a town officer: their town's)."""
    stmt = add_enterprise_search(db.select(Enterprise).options(db.joinedload(Enterprise.town)), search)
    if actor is not None:
        stmt = policy.scope_to(stmt, actor, Enterprise.id)
    if town_id:
        stmt = stmt.where(Enterprise.town_id == town_id)
    if industry:
        stmt = stmt.where(Enterprise.industry == industry)
    if active is not None:
        stmt = stmt.where(Enterprise.is_active.is_(active))
    return stmt.order_by(Enterprise.name, Enterprise.id)


def town_history(enterprise_id: int) -> list[EnterpriseTownSpan]:
    """The enterprise's town history, oldest first (town loaded): each period [valid_from, valid_to)
    it belonged to a town; the last one is open (valid_to None). A move is update_enterprise's."""
    return list(db.session.scalars(
        db.select(EnterpriseTownSpan).where(EnterpriseTownSpan.enterprise_id == enterprise_id)
        .options(db.joinedload(EnterpriseTownSpan.town)).order_by(EnterpriseTownSpan.valid_from)))


def towns() -> list[Town]:
    """Towns and streets (镇/街道) in their configured order."""
    return list(db.session.scalars(db.select(Town).order_by(Town.sort_order, Town.name)))


class TownRow(PlainRow):
    """A town of a filter's drop-down as plain values: `id`, `name`, and `label` in the reader's language."""

    __slots__ = ("id", "name")

    @property
    def label(self):
        return reference_label(TOWN_LABELS, self.name)


def town_rows() -> list[TownRow]:
    """The towns of `towns()` as plain rows for filters' drop-downs, memoised per data version (a town
    is counted data: a new or renamed town shows at once; services.common.figures_cache)."""
    return figures_cache.memoised(("town-rows",), lambda: [TownRow(*row) for row in db.session.execute(
        db.select(Town.id, Town.name).order_by(Town.sort_order, Town.name))])


def _validate(data: EnterpriseData, enterprise_id: int | None) -> EnterpriseData:
    """The cleaned data (normalised credit code), or RuleViolation on the first broken rule's field."""
    name = (data.name or "").strip()
    if not name:
        raise RuleViolation(_l("请填写企业名称。"), field="name")
    if len(name) > 100:
        raise RuleViolation(_l("企业名称不能超过 100 个字符。"), field="name")
    code = normalize_credit_code(data.credit_code)
    if len(code) != 18:
        raise RuleViolation(_l("统一社会信用代码应为 18 位。"), field="credit_code")
    if not is_valid_credit_code(code):
        raise RuleViolation(
            _l("统一社会信用代码无效：请检查是否抄错（校验位不符）。"), field="credit_code"
        )
    clash = db.session.scalar(
        db.select(Enterprise.id).where(Enterprise.credit_code == code, Enterprise.id != enterprise_id)
    )
    if clash:
        raise RuleViolation(_l("已有企业使用这个统一社会信用代码。"), field="credit_code")
    if not data.town_id or db.session.get(Town, data.town_id) is None:
        raise RuleViolation(_l("请选择所在镇（街道）。"), field="town_id")
    if data.industry not in INDUSTRIES:
        raise RuleViolation(_l("请选择所属行业。"), field="industry")
    return EnterpriseData(name, code, data.town_id, data.industry, bool(data.is_member))


def create_enterprise(actor, data: EnterpriseData) -> Enterprise:
    """A new enterprise from valid `data` (RuleViolation otherwise); union admins only. Audited."""
    enterprise = prepare_enterprise(actor, data)
    record_new_enterprises(actor, [enterprise])
    return enterprise


def prepare_enterprise(actor, data: EnterpriseData) -> Enterprise:
    """The first half of create_enterprise: the checks (raising before anything is added), then the
    enterprise added unflushed. An import prepares a chunk and records it with record_new_enterprises
    (the credit-code check then sees flushed enterprises only: the import refuses a code twice in
    its file itself, and the unique constraint stays the last word)."""
    accounts_policy.require_enterprise_manager(actor)
    clean = _validate(data, None)
    enterprise = Enterprise(
        name=clean.name,
        credit_code=clean.credit_code,
        town_id=clean.town_id,
        industry=clean.industry,
        is_member=clean.is_member,
    )
    db.session.add(enterprise)
    return enterprise


def record_new_enterprises(actor, new: list[Enterprise]) -> None:
    """The second half of create_enterprise for one or many prepared enterprises: one flush, then
    each one's audit record."""
    db.session.flush()
    for enterprise in new:
        audit.record("enterprise.created", actor=actor, obj=enterprise, enterprise_id=enterprise.id)


def update_enterprise(actor, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Edit an enterprise with valid `data` (RuleViolation otherwise); union admins only. Audited
    with the changed fields."""
    accounts_policy.require_enterprise_manager(actor)
    clean = _validate(data, enterprise.id)
    changes = {}
    for attr in ("name", "credit_code", "town_id", "industry", "is_member"):
        old, new = getattr(enterprise, attr), getattr(clean, attr)
        if old != new:
            changes[attr] = [old, new]
            setattr(enterprise, attr, new)
    db.session.flush()
    if changes:
        audit.record("enterprise.updated", actor=actor, obj=enterprise, enterprise_id=enterprise.id,
                     changes=changes)
    return enterprise


def set_enterprise_active(actor, enterprise: Enterprise, active: bool) -> None:
    """Deactivate (its people can no longer log in) or reactivate an enterprise; union admins only."""
    accounts_policy.require_enterprise_manager(actor)
    if enterprise.is_active == active:
        return
    enterprise.is_active = active
    audit.record(
        "enterprise.activated" if active else "enterprise.deactivated",
        actor=actor, obj=enterprise, enterprise_id=enterprise.id,
    )
