"""Savings of a proposal: the estimate (with its calculator), adoption, implementation with the realised
saving, the union's verification, and totals per enterprise.

Rules (docs/domain.md, "Vocabulary" (savings), "Five Small proposals": the savings calculator and the
verified realised saving, and "Rules shared by every part": money):
- Money is Decimal yuan with two decimals, between 0 and 100 million (MAX_SAVINGS).
- The calculator gives the annual net saving: (quantity before - quantity after) x unit price x annual
  output - implementation cost. Its five inputs are given all together or not at all.
- HR of the proposal's enterprise adopts a judged proposal once the campaign's results are published,
  then records the implementation: the realised annual saving, a note on how it was worked out and
  finance's confirmation (a stamped PDF or image).
- The union admin verifies a realised saving once. The confirmation file is seen by admins and the
  enterprise's HR only.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, db
from models.proposal_tallies import ProposalSavingsTally
from models.proposals import ADOPTED, IMPLEMENTED, Campaign, Proposal, RealisedSaving
from services import policy
from services.common import audit, uploads
from services.common.validators import read_decimal
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import check_transition, is_published, transition

MAX_SAVINGS = Decimal("100000000")
FINANCE_FILE_KINDS = ("image", "pdf")
# The calculator's inputs, in the order of calculate_savings' arguments (fields of the proposal and its form).
CALC_FIELDS = ("calc_quantity_before", "calc_quantity_after", "calc_unit_price", "calc_annual_output",
               "calc_implementation_cost")
CENT = Decimal("0.01")
# Decimal places each typed number may have (as stored): more are refused, never rounded. Money (元)
# has two; unit quantities and the unit price four; the annual output two.
PLACES = {"estimated_savings": 2, "amount": 2, "calc_quantity_before": 4, "calc_quantity_after": 4,
          "calc_unit_price": 4, "calc_annual_output": 2, "calc_implementation_cost": 2}


# --- the estimate ---------------------------------------------------------------------------


def calculate_savings(quantity_before, quantity_after, unit_price, annual_output, implementation_cost) -> Decimal:
    """Annual net saving: (quantity before - quantity after) x unit price x annual output - cost, in yuan.

    Inputs are Decimals (or values Decimal() accepts); the result is rounded to the cent.
    """
    values = [Decimal(v) if not isinstance(v, Decimal) else v
              for v in (quantity_before, quantity_after, unit_price, annual_output, implementation_cost)]
    before, after, price, output, cost = values
    return ((before - after) * price * output - cost).quantize(CENT)


def parse_amount(value, field_name: str) -> Decimal | None:
    """A typed number of `field_name` as a Decimal (None when empty), read by
    services.common.validators.read_decimal: full-width digits normalised, thousands separators in
    groups of three ("1,200.5"), at most PLACES[field_name] decimal places. RuleViolation on
    `field_name` otherwise (never silently rounded)."""
    return read_decimal(value, places=PLACES.get(field_name, 2), field=field_name, thousands=True)


def _calculator_inputs(data) -> dict[str, Decimal | None]:
    return {name: parse_amount(getattr(data, name), name) for name in CALC_FIELDS}


def _require_all_inputs(calc: dict[str, Decimal | None], field: str | None = None) -> None:
    """RuleViolation (beside `field`, else the first empty input) unless all five inputs are given."""
    missing = [name for name in CALC_FIELDS if calc[name] is None]
    if missing:
        raise RuleViolation(_l("使用测算时请填写全部五项：改进前后用量、单价、年产量和实施成本。"),
                            field=field or missing[0])


def estimate_from_calculator(data) -> Decimal:
    """The form's "calculate" button: the calculator's saving from the five inputs of `data` (a
    ProposalData or anything with the CALC_FIELDS attributes). All five are required (RuleViolation
    beside the first input); nothing is stored."""
    calc = _calculator_inputs(data)
    _require_all_inputs(calc, field=CALC_FIELDS[0])
    return calculate_savings(*(calc[name] for name in CALC_FIELDS))


def resolve_estimate(data) -> Decimal | None:
    """The estimated annual saving of a proposal being written, in yuan (None when not given yet).

    With calculator inputs the estimate is calculated (and the parsed inputs are written back onto
    `data`); otherwise the typed estimate is used. Raises RuleViolation, on the field concerned, for
    an incomplete calculator, inputs or an estimate outside 0 to MAX_SAVINGS.
    """
    calc = _calculator_inputs(data)
    given = [name for name, value in calc.items() if value is not None]
    if given:
        _require_all_inputs(calc)
    for name, value in calc.items():
        if value is not None and (value < 0 or value > MAX_SAVINGS):
            raise RuleViolation(_l("测算数据应为 0 到 1 亿之间的数。"), field=name)
    for name, value in calc.items():
        setattr(data, name, value)
    if given:
        savings = calculate_savings(*(calc[name] for name in CALC_FIELDS))
        if savings < 0:
            raise RuleViolation(_l("按测算数据算出的年节约额为负数（%(value)s 元），请检查。", value=savings),
                                field="estimated_savings")
    else:
        savings = parse_amount(data.estimated_savings, "estimated_savings")
    if savings is None:
        return None
    if savings < 0:
        raise RuleViolation(_l("预计年节约额不能为负数。"), field="estimated_savings")
    if savings > MAX_SAVINGS:
        raise RuleViolation(_l("预计年节约额超过 1 亿元，请核实。"), field="estimated_savings")
    return savings.quantize(CENT)


# --- adoption, implementation, verification -------------------------------------------------


def adopt_proposal(actor, proposal: Proposal, note: str | None = None) -> Proposal:
    """HR of the enterprise adopts a judged proposal once the campaign's results are published.

    NotFound for anyone but the enterprise's HR; RuleViolation before publication or from a status
    TRANSITIONS does not allow (scored or awarded only).
    """
    proposals_policy.require_screener(actor, proposal)
    if not is_published(proposal.campaign):
        raise RuleViolation(_l("评审结果公布后才能采纳。"))
    transition(proposal, ADOPTED, actor, "hr", note=(note or "").strip() or None)
    return proposal


def record_implementation(actor, proposal: Proposal, amount, note: str, confirmation) -> RealisedSaving:
    """HR records an adopted proposal's implementation: the realised annual saving (yuan, 0 to 100
    million, as typed), a note on how it was worked out and finance's `confirmation` (an uploaded PDF
    or image, FileStorage). NotFound for anyone but the enterprise's HR; RuleViolation on the field
    concerned (the file's field is "finance_file")."""
    proposals_policy.require_screener(actor, proposal)
    value = parse_amount(amount, "amount")
    if value is None:
        raise RuleViolation(_l("请填写实际年节约额。"), field="amount")
    if value < 0 or value > MAX_SAVINGS:
        raise RuleViolation(_l("实际年节约额应在 0 到 1 亿元之间。"), field="amount")
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_l("请说明实施情况和节约额的计算依据。"), field="note")
    check_transition(proposal, IMPLEMENTED, "hr")
    stored = uploads.save_upload(actor, confirmation, allowed=FINANCE_FILE_KINDS, field="finance_file")
    saving = RealisedSaving(proposal=proposal, amount=value.quantize(CENT), note=note,
                            finance_file=stored, entered_by_id=actor.id, entered_at=clock.now())
    db.session.add(saving)
    transition(proposal, IMPLEMENTED, actor, "hr", note=note)
    audit.record("proposals.saving_entered", actor=actor, obj=proposal, amount=saving.amount)
    db.session.flush()
    return saving


def verify_saving(actor, proposal: Proposal) -> RealisedSaving:
    """The union admin verifies a realised saving entered by HR, once (NotAllowed for anyone else;
    RuleViolation when none is entered or it is already verified)."""
    policy.require_admin(actor, _l("只有总工会管理员可以核实节约额。"))
    saving = proposal.saving
    if saving is None:
        raise RuleViolation(_l("这件提案还没有登记实际节约额。"))
    if saving.verified_at is not None:
        raise RuleViolation(_l("节约额已经核实过了。"))
    saving.verified_by_id = actor.id
    saving.verified_at = clock.now()
    audit.record("proposals.saving_verified", actor=actor, obj=proposal, amount=saving.amount)
    return saving


def finance_file(actor, proposal_id: int):
    """Finance's confirmation (a StoredFile) of a proposal's realised saving, for admins and the
    enterprise's HR only; NotFound for anyone else or when no saving is recorded."""
    proposal = proposal_loaders.get_proposal(actor, proposal_id)
    if not proposals_policy.can_see_finance_file(actor, proposal) or proposal.saving is None:
        raise NotFound(_l("找不到这个文件。"))
    return proposal.saving.finance_file


def pending_verifications(campaign: Campaign, limit: int = 20) -> list:
    """The first `limit` of the campaign's proposals (by id) with a realised saving not yet verified, as
    plain rows (id, title, enterprise_name, amount: yuan, Decimal): one query (a kept statement), no ORM
    objects."""
    return db.session.execute(shared_statement(("proposals.pending_verifications",), lambda: (
        select(Proposal.id, Proposal.title, Enterprise.name.label("enterprise_name"), RealisedSaving.amount)
        .join(RealisedSaving).join(Enterprise, Enterprise.id == Proposal.enterprise_id)
        .where(Proposal.campaign_id == bindparam("campaign_id"), RealisedSaving.verified_at.is_(None))
        .order_by(Proposal.id).limit(bindparam("limit")))), {"campaign_id": campaign.id, "limit": limit}).all()


def _tallies_in_scope(actor, campaign: Campaign, stmt):
    if policy.management_scope(actor).kind == policy.NOBODY:
        raise NotAllowed(_l("没有权限查看。"))
    stmt = stmt.where(ProposalSavingsTally.campaign_id == campaign.id, ProposalSavingsTally.valid > 0)
    return policy.scope_to(stmt, actor, ProposalSavingsTally.enterprise_id)


def savings_totals(actor, campaign: Campaign):
    """Select of ProposalSavingsTally rows (enterprise loaded) of a campaign: per enterprise with
    valid proposals their number, estimated savings, entered and verified realised savings (yuan),
    most verified first, then by enterprise name; restricted to the enterprises the actor manages
    (services.policy.scope_to). Stored tallies (models.proposal_tallies), so a page of it reads a page
    of rows. NotAllowed for someone who manages none."""
    stmt = (select(ProposalSavingsTally).join(Enterprise, Enterprise.id == ProposalSavingsTally.enterprise_id)
            .options(db.contains_eager(ProposalSavingsTally.enterprise))
            .order_by(ProposalSavingsTally.verified.desc(), Enterprise.name, Enterprise.id))
    return _tallies_in_scope(actor, campaign, stmt)


def savings_sums(actor, campaign: Campaign):
    """(estimated, verified) yuan over every row of savings_totals: one sum over the stored tallies
    (one row per enterprise), not over the proposals. NotAllowed for someone who manages none."""
    stmt = select(func.coalesce(func.sum(ProposalSavingsTally.estimated), 0),
                  func.coalesce(func.sum(ProposalSavingsTally.verified), 0))
    return db.session.execute(_tallies_in_scope(actor, campaign, stmt)).one()


