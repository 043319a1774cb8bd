"""A training programme's actual spending (实际支出; issue 15; docs/domain.md, "Upgrades, spending and
figures").

Rules:
- Only the programme's owner records, edits and deletes its costs (services.training.policy
  .require_runner: NotFound outside its reach, NotAllowed for the levels above, who see it read-only).
- A cost has a category (models.training.COST_CATEGORIES), an amount in Decimal yuan > 0 with at most
  two decimals (below MAX_AMOUNT), a funding source (FUNDING_SOURCES), the day it was spent (not in the
  future), a note (at most 200 characters) and optionally the finance department's confirmation file
  (image or PDF; an edit may replace it).
- A cost may be recorded whatever the programme's state (bills often arrive after the last class), but
  it is edited or deleted only while the programme is not finished: once the programme is finished
  (结业) its spending is final, and a cost found missing later is recorded as a new item.
- Every record, edit and deletion is audited with the amounts ("training.cost_*").
- `spending_summary` gives the programme page budget vs actual: the total per category and per funding
  source against the programme's budget (one query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from core.l10n import lazy_gettext as _l
from models import db
from models.files import StoredFile
from models.training import COST_CATEGORIES, FINISHED, FUNDING_SOURCES, TrainingCost, TrainingProgramme
from services.common import audit, uploads, validators
from services.errors import NotFound, RuleViolation
from services.training import policy as training_policy

CONFIRMATION_KINDS = ("image", "pdf")
MAX_AMOUNT = Decimal("100000000")


@dataclass
class CostData:
    """What the form gives (the amount as typed)."""

    category: str | None
    amount: object
    funding_source: str | None
    spent_on: date | None
    note: str | None = ""


def may_change_costs(programme: TrainingProgramme) -> bool:
    """Costs are edited and deleted only while the programme is not finished."""
    return programme.status != FINISHED


def _checked(data: CostData) -> tuple[Decimal, str]:
    if data.category not in COST_CATEGORIES:
        raise RuleViolation(_l("请选择支出类别。"), field="category")
    amount = validators.read_decimal(data.amount, places=2, field="amount", thousands=True)
    if amount is None:
        raise RuleViolation(_l("请填写金额。"), field="amount")
    if amount <= 0:
        raise RuleViolation(_l("金额应大于 0。"), field="amount")
    if amount >= MAX_AMOUNT:
        raise RuleViolation(_l("金额过大，请核实。"), field="amount")
    if data.funding_source not in FUNDING_SOURCES:
        raise RuleViolation(_l("请选择经费来源。"), field="funding_source")
    if data.spent_on is None:
        raise RuleViolation(_l("请填写支出日期。"), field="spent_on")
    validators.refuse_future_date(data.spent_on, "spent_on")
    note = (data.note or "").strip()
    if len(note) > 200:
        raise RuleViolation(_l("说明最多 200 个字。"), field="note")
    return amount, note


def _save_confirmation(actor, confirmation) -> int | None:
    if confirmation is None:
        return None
    return uploads.save_upload(actor, confirmation, allowed=CONFIRMATION_KINDS, field="confirmation").id


def record_cost(actor, programme: TrainingProgramme, data: CostData, confirmation=None) -> TrainingCost:
    """The owner records one cost of `programme` (module rules); `confirmation` is an optional werkzeug
    FileStorage. Audited. Returns the cost (flushed)."""
    training_policy.require_runner(actor, programme)
    amount, note = _checked(data)
    cost = TrainingCost(programme_id=programme.id, category=data.category, amount=amount,
                        funding_source=data.funding_source, spent_on=data.spent_on, note=note,
                        confirmation_file_id=_save_confirmation(actor, confirmation), recorded_by_id=actor.id)
    db.session.add(cost)
    db.session.flush()
    audit.record("training.cost_recorded", actor=actor, obj=cost, programme_id=programme.id,
                 category=cost.category, amount=amount, funding_source=cost.funding_source)
    return cost


def _require_changeable(actor, cost: TrainingCost) -> None:
    training_policy.require_runner(actor, cost.programme)
    if not may_change_costs(cost.programme):
        raise RuleViolation(_l("培训项目已结业，支出已定稿，不能再修改或删除。"))


def update_cost(actor, cost: TrainingCost, data: CostData, confirmation=None) -> TrainingCost:
    """The owner edits a cost while the programme is not finished; a new confirmation file replaces the
    old one. Audited with the amount before and after."""
    _require_changeable(actor, cost)
    amount, note = _checked(data)
    before = cost.amount
    cost.category, cost.amount, cost.funding_source = data.category, amount, data.funding_source
    cost.spent_on, cost.note = data.spent_on, note
    stored = _save_confirmation(actor, confirmation)
    if stored is not None:
        cost.confirmation_file_id = stored
    db.session.flush()
    audit.record("training.cost_updated", actor=actor, obj=cost, programme_id=cost.programme_id,
                 category=cost.category, amount=amount, previous_amount=before, funding_source=cost.funding_source)
    return cost


def delete_cost(actor, cost: TrainingCost) -> None:
    """The owner deletes a cost while the programme is not finished. Audited with what it was."""
    _require_changeable(actor, cost)
    audit.record("training.cost_deleted", actor=actor, obj=cost, programme_id=cost.programme_id,
                 category=cost.category, amount=cost.amount, funding_source=cost.funding_source)
    db.session.delete(cost)
    db.session.flush()


def get_cost(actor, programme: TrainingProgramme, cost_id: int) -> TrainingCost:
    """A cost of `programme` (which `actor` may already see); NotFound otherwise."""
    cost = db.session.get(TrainingCost, cost_id)
    if cost is None or cost.programme_id != programme.id:
        raise NotFound(_l("找不到这笔支出。"))
    return cost


def confirmation_file(actor, programme: TrainingProgramme, cost_id: int) -> StoredFile:
    """A cost's confirmation file for those who oversee the programme (owner and levels above); NotFound
    for anyone else or when there is none."""
    cost = get_cost(actor, programme, cost_id)
    stored = db.session.get(StoredFile, cost.confirmation_file_id) if cost.confirmation_file_id else None
    if stored is None or not training_policy.can_oversee(actor, programme):
        raise NotFound(_l("找不到这笔支出的财务确认件。"))
    return stored


def costs_query(programme: TrainingProgramme):
    """The programme's costs, latest spent first (paginated by the page)."""
    return (select(TrainingCost).where(TrainingCost.programme_id == programme.id)
            .order_by(TrainingCost.spent_on.desc(), TrainingCost.id.desc()))


@dataclass
class Summary:
    """Budget vs actual of one programme: totals per category and per funding source (yuan)."""

    budget: Decimal | None
    by_category: dict[str, Decimal] = field(default_factory=dict)
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), Decimal(0))

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.total

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total > self.budget


def spending_summary(programme: TrainingProgramme) -> Summary:
    """Budget vs actual of `programme` (one GROUP BY query): every category listed, zero where nothing
    was spent; sources only where money was spent."""
    summary = Summary(budget=programme.budget, by_category=dict.fromkeys(COST_CATEGORIES, Decimal(0)))
    rows = db.session.execute(
        select(TrainingCost.category, TrainingCost.funding_source, func.sum(TrainingCost.amount))
        .where(TrainingCost.programme_id == programme.id)
        .group_by(TrainingCost.category, TrainingCost.funding_source))
    for category, source, total in rows:
        amount = Decimal(total or 0)
        summary.by_category[category] = summary.by_category.get(category, Decimal(0)) + amount
        summary.by_source[source] = summary.by_source.get(source, Decimal(0)) + amount
    return summary
