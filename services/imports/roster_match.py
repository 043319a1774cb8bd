"""Matching a roster row to the person it names (花名册导入, services.imports.roster's rules).

Rules:
- A row matches a person of the enterprise by employee number, then by phone (people who left it by
  their employment history, then phone); the number naming one person and the phone another is an error.
- The matched person must be the row's person: a different name (normalised), or a different ID-card
  number where both have one, is an error naming the stored person (employee number, name, masked ID
  card), never an update (a phone or number reused for someone else must not overwrite them).
- A roster never lowers a skill level: levels change through services.skills (with a certificate); a
  row with a lower level than the one recorded is an error saying so.
- A phone of someone outside the enterprise goes the transfer way (services.accounts.transfers).
- A leave is recorded once: another date, or 在职 for a person whose leave is recorded, is an error.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from core.l10n import lazy_gettext as _l
from models import Employment, Enterprise, Trade, Transfer, User, db
from models.employment import TRANSFER_PENDING
from models.imports import TRANSFER, UNCHANGED
from models.skills import SKILL_LEVELS
from services.accounts import transfers
from services.common.i18n import as_deferred
from services.common.tables import header_key, name_text
from services.common.validators import mask_id_card
from services.errors import RuleViolation
from services.imports.batches import Row

EMPLOYED, LEFT = "在职", "离职"


_SNAPSHOT = (User.id, User.name, User.phone, User.employee_no, User.trade_id, User.skill_level, User.education,
             User.hire_date, User.birth_date, User.id_card_no, Employment.ended_on, Employment.started_on)
_KEYS = ("id", "name", "phone", "employee_no", "trade_id", "skill_level", "education", "hire_date", "birth_date",
         "id_card_no", "leave_date", "started_on")
COMPARED = ("name", "phone", "employee_no", "trade_id", "skill_level", "education", "hire_date", "birth_date",
            "id_card_no", "leave_date")


class Context:
    """What classifying a roster needs, loaded once: the enterprise's people as small snapshots (by
    number and by phone; the leave date from their open employment), the people who left it (by the
    number their closed employment here had, then phone; `former`), the trades, and what the file has
    shown so far (duplicates)."""

    def __init__(self, actor, batch):
        self.actor = actor
        self.enterprise_id = batch.enterprise_id
        self.by_no: dict[str, dict] = {}
        self.by_phone: dict[str, dict] = {}
        # People who left: by the employee number they had here (their employment history), then phone.
        former = db.session.execute(
            select(User.id, User.name, User.phone, Employment.employee_no, Employment.ended_on, Employment.started_on)
            .join(Employment, Employment.user_id == User.id)
            .where(Employment.enterprise_id == self.enterprise_id, Employment.closed_at.is_not(None),
                   or_(User.enterprise_id.is_(None), User.enterprise_id != self.enterprise_id))
            .order_by(Employment.id))
        for values in former:
            snapshot = dict.fromkeys(_KEYS)
            snapshot.update(zip(("id", "name", "phone", "employee_no", "leave_date", "started_on"), values,
                                strict=True))
            self.remember({**snapshot, "former": True})
        # The enterprise's people, with the leave recorded on their open employment (if any).
        rows = db.session.execute(select(*_SNAPSHOT).select_from(User).outerjoin(Employment, and_(
            Employment.user_id == User.id, Employment.enterprise_id == User.enterprise_id,
            Employment.closed_at.is_(None))).where(User.enterprise_id == self.enterprise_id))
        for values in rows:
            self.remember(dict(zip(_KEYS, values, strict=True)))
        self.trades = {}
        # Held for the whole import: the session's identity map keeps objects only while something
        # does, and people's checks get the enterprise and each trade by id for every row.
        self.keep = [db.session.get(Enterprise, self.enterprise_id),
                     *db.session.scalars(select(Trade).where(Trade.is_active.is_(True)))]
        for trade in self.keep[1:]:
            shown = as_deferred(trade.label).as_json()
            self.trades[header_key(trade.name)] = (trade.id, shown)
            self.trades.setdefault(header_key(str(trade.label)), (trade.id, shown))
        self.seen_no: dict[str, int] = {}
        self.seen_phone: dict[str, int] = {}
        self.seen_id_card: dict[str, int] = {}
        self.pending: dict[int, int] = {}  # the chunk's pending transfers (pending_transfers)

    def remember(self, snapshot: dict) -> None:
        if snapshot.get("employee_no"):
            self.by_no[snapshot["employee_no"]] = snapshot
        if snapshot.get("phone"):
            self.by_phone[snapshot["phone"]] = snapshot


def match(context: Context, row: Row, data: dict, elsewhere: dict) -> dict | None:
    """The person the row names, by employee number then phone (people who left included); problems
    when they disagree. A phone of someone outside the enterprise goes the transfer way (`_transfer`)."""
    by_no = context.by_no.get(data["employee_no"]) if data["employee_no"] else None
    by_phone = context.by_phone.get(data["phone"]) if data["phone"] else None
    if by_no and by_phone and by_no["id"] != by_phone["id"]:
        row.problem("phone", _l("该手机号属于本企业工号 %(no)s 的 %(name)s。", no=by_phone["employee_no"] or "-",
                                name=by_phone["name"]))
    target = by_no or by_phone  # found by phone only: the employee number changes (it is free: no by_no)
    if target is not None and not _same_person(row, target, data, "employee_no" if by_no else "phone"):
        return target  # an error: never an update of someone else
    holder = elsewhere.get(data["phone"])
    if target is not None and target.get("former"):
        if data["status"] == LEFT and data["leave_date"] == target["leave_date"]:
            return target  # re-importing a leave already recorded: unchanged
        if data["status"] == LEFT:
            row.problem("leave_date", _l("该职工已于 %(day)s 离职，离职日期不能再改。",
                                         day=target["leave_date"].isoformat() if target["leave_date"] else "-"))
            return target
        if holder is None or holder["id"] != target["id"]:
            row.problem("phone", _l("该职工已从本企业离职；重新入职请填写其本人手机号办理调入。"))
            return target
        target = None  # back at this enterprise: a transfer (调入) from where the person is now
    if holder is not None and target is not None and holder["id"] != target["id"]:
        row.problem("phone", _l("该手机号已登记在本企业以外的另一人名下。"))
    elif holder is not None:
        _transfer(context, row, data, holder)
    return target


def _transfer(context: Context, row: Row, data: dict, holder: dict) -> None:
    """A row whose phone is registered to a person outside the enterprise (`holder`: id, name,
    enterprise_id, enterprise): a transfer (调入) when transfers.find_transfer_candidate finds the same
    person; unchanged while one to this enterprise is pending; an error otherwise."""
    try:
        person = transfers.find_transfer_candidate(data["phone"], data["name"], data["id_card_no"])
    except RuleViolation as error:
        row.problem(error.field or "phone", error.message)
        return
    if person is None:
        return
    row.data["transfer_person_id"] = person.id
    pending = context.pending.get(person.id)
    if pending == context.enterprise_id:
        row.target_id = person.id
        row.explain(UNCHANGED, _l("调入办理中：等待本人确认。"))
        return
    if pending is not None:
        row.problem("phone", _l("该职工已有进行中的调入申请。"))
    elif not person.is_active:
        row.problem("phone", _l("该手机号的账号已停用，请联系总工会处理。"))
    elif data["status"] == LEFT:
        row.problem("status", _l("该手机号已登记在其他企业的职工名下，不能以离职人员导入。"))
    elif data["trade_id"] is None and "trade" not in row.problems:
        row.problem("trade", _l("调入须填写在本企业的工种。"))
    if holder.get("enterprise"):
        row.explain(TRANSFER, _l("该手机号已登记为“%(where)s”的%(name)s（姓名相符）：确认导入后发起调入，"
                                 "本人在自己的账号里确认后转入本企业。", where=holder["enterprise"], name=person.name))
    else:
        row.explain(TRANSFER, _l("该手机号已登记为%(name)s（姓名相符，目前无所属企业）：确认导入后发起调入，"
                                 "本人在自己的账号里确认后转入本企业。", name=person.name))


def duplicates(context: Context, row: Row, data: dict) -> None:
    for key, value, seen in (("employee_no", data["employee_no"], context.seen_no),
                             ("phone", data["phone"], context.seen_phone),
                             ("id_card", data["id_card_no"], context.seen_id_card)):
        if not value:
            continue
        if value in seen:
            row.problem(key, _l("与第 %(row)d 行重复。", row=seen[value]))
        else:
            seen[value] = row.row_no


def check_leave(row: Row, target: dict | None, data: dict) -> None:
    """A leave is recorded once (employment.record_leave): another date, or 在职 for a person whose
    leave is recorded, is an error; so is a leave before the employment began."""
    if target is None or target.get("former"):
        return
    recorded = target["leave_date"]
    if recorded is not None and data["status"] == LEFT and data["leave_date"] != recorded:
        row.problem("leave_date", _l("已登记离职日期 %(day)s。", day=recorded.isoformat()))
    elif recorded is not None and data["status"] == EMPLOYED:
        row.problem("status", _l("已登记离职日期 %(day)s，花名册不能撤销离职。", day=recorded.isoformat()))
    started = target.get("started_on")
    if data["status"] == LEFT and data["leave_date"] and started and data["leave_date"] < started:
        row.problem("leave_date", _l("离职日期不能早于入职日期。"))


def holders(column, values: set, exclude_enterprise: int) -> dict:
    """{value: {id, name, enterprise_id, enterprise}} of the people outside the enterprise holding these
    values (`enterprise`: its name)."""
    if not values:
        return {}
    rows = db.session.execute(select(column, User.id, User.name, User.enterprise_id, Enterprise.name)
                              .outerjoin(Enterprise, Enterprise.id == User.enterprise_id).where(
        column.in_(values), (User.enterprise_id != exclude_enterprise) | User.enterprise_id.is_(None)))
    return {value: {"id": i, "name": n, "enterprise_id": e, "enterprise": en} for value, i, n, e, en in rows}


def pending_transfers(holders: dict) -> dict[int, int]:
    """{person id: enterprise the pending transfer goes to} for the holders of a chunk (one query)."""
    ids = {holder["id"] for holder in holders.values()}
    if not ids:
        return {}
    return dict(db.session.execute(select(Transfer.user_id, Transfer.to_enterprise_id).where(
        Transfer.user_id.in_(ids), Transfer.status == TRANSFER_PENDING)).all())


def _same_person(row: Row, target: dict, data: dict, key: str) -> bool:
    """False (with the reason on the cell) when the matched person is not the row's: another name, or
    another ID-card number where both have one."""
    stored, number = target.get("name") or "", target.get("employee_no") or "-"
    if header_key(name_text(stored)) != header_key(data["name"] or ""):
        if key == "employee_no":
            message = _l("该工号已登记为工号 %(no)s 的%(stored)s，与本行姓名“%(name)s”不符：不会更新他人的信息。"
                         "若是同一人改名，请在职工信息里修改姓名；否则请核对本行的工号。",
                         no=number, stored=stored, name=data["name"])
        else:
            message = _l("该手机号已登记为工号 %(no)s 的%(stored)s，与本行姓名“%(name)s”不符：不会更新他人的信息。"
                         "若是同一人改名，请在职工信息里修改姓名；否则请核对本行的手机号。",
                         no=number, stored=stored, name=data["name"])
        row.problem(key, message)
        return False
    if target.get("id_card_no") and data["id_card_no"] and target["id_card_no"] != data["id_card_no"]:
        row.problem("id_card", _l("工号 %(no)s 的%(stored)s登记的身份证号为 %(card)s，与本行不符：不会更新他人的信息。",
                                  no=number, stored=stored, card=mask_id_card(target["id_card_no"])))
        return False
    return True


def check_level(row: Row, target: dict | None, data: dict) -> None:
    """A roster never lowers a skill level (they change through the skill-level service, with a certificate)."""
    if target is None or target.get("former") or data["skill_level"] is None or target.get("skill_level") is None:
        return
    if data["skill_level"] < target["skill_level"]:
        row.problem("skill_level", _l("已登记职业技能等级为%(level)s，花名册不能降低等级；等级只能凭证书在职工信息里"
                                      "调整。", level=str(SKILL_LEVELS[target["skill_level"]].label)))
