"""The enterprise import: union admins load the member enterprises and their union contacts from Excel.

Rules (issue 13, "Bulk import"):
- Union admins only.
- Columns: 企业名称, 统一社会信用代码 (required), 所属镇街 (a town by name), 行业 (by its label),
  是否会员 (是/否; empty: 是 for a new enterprise, unchanged otherwise), 工会联系人 and 联系人手机.
- A row matches an enterprise by its credit code (normalised; its check character verified): no
  match is new, a match with something different an update, else unchanged. The rules of
  services.accounts.enterprises apply (name, code, town, industry).
- The contact person: with a phone nobody holds, an HR account of the enterprise is created with the
  enterprise (not activated: no password, people.create_account); a person of the enterprise holding
  the phone becomes its HR (same name required); a phone registered to a person outside the enterprise
  stays an error with the reason: such a person becomes the enterprise's HR only through a transfer
  (调入, services.accounts.transfers: it needs an employee number and a trade, which this list has not,
  and the person's consent); once the transfer completed, importing the list again makes them its HR.
- A credit code or a contact phone twice in the file is an error on the second row.
"""

from __future__ import annotations

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, Town, User, UserRole, db
from models.accounts import INDUSTRIES
from models.imports import ENTERPRISES
from services import policy
from services.accounts import enterprises, people
from services.common.i18n import as_deferred
from services.common.tables import CellProblem, Field, cell_text, header_key, name_text, read_phone
from services.common.validators import is_valid_credit_code, is_valid_mobile, normalize_credit_code
from services.errors import NotAllowed, RuleViolation
from services.imports.batches import Kind, Row, refused, register

FIELDS = [
    Field("name", _l("企业名称"), ("单位名称", "企业全称", "企业"), required=True),
    Field("credit_code", _l("统一社会信用代码"), ("信用代码", "社会信用代码", "统一代码"), required=True),
    Field("town", _l("所属镇街"), ("镇街", "所在镇", "所属镇", "镇/街道", "所在镇街", "镇（街道）")),
    Field("industry", _l("行业"), ("所属行业", "行业类别")),
    Field("member", _l("是否会员"), ("会员", "会员企业", "是否会员单位")),
    Field("contact", _l("工会联系人"), ("联系人", "工会联系人姓名")),
    Field("contact_phone", _l("联系人手机"), ("联系人手机号", "联系电话", "手机", "手机号")),
]
_YES = {"是", "会员", "y", "yes", "1", "√", "true"}
_NO = {"否", "非会员", "n", "no", "0", "×", "false"}
COMPARED = ("name", "town_id", "industry", "is_member")


def _require_admin(actor) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以导入企业。"))


def _source(label) -> str:
    return as_deferred(label).text


class Context:
    """Towns and industries by the names people write, and what the file has shown so far."""

    def __init__(self, actor):
        self.actor = actor
        self.towns = {}
        for town in db.session.scalars(select(Town)):
            shown = as_deferred(town.label).as_json()
            self.towns[header_key(town.name)] = (town.id, shown)
            self.towns.setdefault(header_key(str(town.label)), (town.id, shown))
        self.industries = {header_key(_source(label)): code for code, label in INDUSTRIES.items()}
        self.industries.update({header_key(str(label)): code for code, label in INDUSTRIES.items()})
        self.seen_code: dict[str, int] = {}
        self.seen_phone: dict[str, int] = {}


def _prepare(actor, _batch) -> Context:
    _require_admin(actor)
    return Context(actor)


def _read(context: Context, row: Row, raw: dict) -> dict:
    data = {"name": name_text(raw.get("name")), "credit_code": normalize_credit_code(cell_text(raw.get("credit_code")))}
    if not data["name"]:
        row.problem("name", _l("请填写企业名称。"))
    elif len(data["name"]) > 100:
        row.problem("name", _l("企业名称不能超过 100 个字符。"))
    code = data["credit_code"]
    if not code:
        row.problem("credit_code", _l("请填写统一社会信用代码。"))
    elif len(code) != 18:
        row.problem("credit_code", _l("统一社会信用代码应为 18 位。"))
    elif not is_valid_credit_code(code):
        row.problem("credit_code", _l("统一社会信用代码无效：请检查是否抄错（校验位不符）。"))
    elif code in context.seen_code:
        row.problem("credit_code", _l("与第 %(row)d 行重复。", row=context.seen_code[code]))
    else:
        context.seen_code[code] = row.row_no
    town = cell_text(raw.get("town"))
    found = context.towns.get(header_key(town)) if town else None
    data["town_id"] = found[0] if found else None
    if town and found is None:
        row.problem("town", _l("没有名为“%(v)s”的镇（街道）（见模板的下拉列表）。", v=town))
    industry = cell_text(raw.get("industry"))
    data["industry"] = context.industries.get(header_key(industry)) if industry else None
    if industry and data["industry"] is None:
        row.problem("industry", _l("无法识别的行业“%(v)s”（见模板的下拉列表）。", v=industry))
    member = header_key(cell_text(raw.get("member")))
    data["is_member"] = True if member in _YES else False if member in _NO else None
    if member and data["is_member"] is None:
        row.problem("member", _l("是否会员只能填“是”或“否”。"))
    data["contact"] = name_text(raw.get("contact"))
    try:
        data["contact_phone"] = read_phone(raw.get("contact_phone"))
    except CellProblem as problem:
        row.problem("contact_phone", problem.message)
        data["contact_phone"] = ""
    phone = data["contact_phone"]
    if phone and not is_valid_mobile(phone):
        row.problem("contact_phone", _l("“%(v)s”不是有效的 11 位大陆手机号码。", v=phone))
    elif phone and phone in context.seen_phone:
        row.problem("contact_phone", _l("与第 %(row)d 行重复。", row=context.seen_phone[phone]))
    elif phone:
        context.seen_phone[phone] = row.row_no
    if bool(phone) != bool(data["contact"]) and "contact_phone" not in row.problems:
        row.problem("contact" if phone else "contact_phone", _l("工会联系人和联系人手机须一起填写。"))
    return data


def _contact(context: Context, row: Row, data: dict, enterprise_id: int | None, holder: dict | None) -> None:
    """What happens to the contact person: created, made HR, nothing, or an error."""
    if not data["contact_phone"]:
        return
    if holder is None:
        row.changes.append("contact")
        return
    if enterprise_id is None or holder["enterprise_id"] != enterprise_id:
        row.problem("contact_phone", _l(
            "该手机号已登记在本企业以外的人员名下：联系人须先调入本企业（调入完成后再次导入即设为人力资源），"
            "或换一位联系人。"))
        return
    if header_key(holder["name"]) != header_key(data["contact"]):
        row.problem("contact", _l("该手机号属于本企业的“%(name)s”，与填写的联系人不符。", name=holder["name"]))
    elif not holder["is_hr"]:
        row.changes.append("contact")
    row.data["contact_id"] = holder["id"]


def classify(context: Context, chunk: list) -> list[Row]:
    """Rows of one chunk, each read, checked and matched by credit code (module rules)."""
    rows, datas = [], []
    for row_no, raw in chunk:
        row = Row(row_no, values={key: cell_text(value) for key, value in raw.items() if cell_text(value)})
        datas.append(_read(context, row, raw))
        rows.append(row)
    codes = {d["credit_code"] for d in datas if d["credit_code"]}
    existing = {e.credit_code: e
                for e in db.session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)))}
    phones = {d["contact_phone"] for d in datas if d["contact_phone"]}
    holders = {}
    if phones:
        hr = set(db.session.scalars(select(UserRole.user_id).join(User, User.id == UserRole.user_id).where(
            User.phone.in_(phones), UserRole.role == str(Role.HR))))
        for phone, uid, name, eid in db.session.execute(
                select(User.phone, User.id, User.name, User.enterprise_id).where(User.phone.in_(phones))):
            holders[phone] = {"id": uid, "name": name, "enterprise_id": eid, "is_hr": uid in hr}
    for row, data in zip(rows, datas, strict=True):
        enterprise = existing.get(data["credit_code"])
        if enterprise is None:
            if data["town_id"] is None and "town" not in row.problems:
                row.problem("town", _l("新企业须填写所属镇街。"))
            if data["industry"] is None and "industry" not in row.problems:
                row.problem("industry", _l("新企业须填写行业。"))
        wanted = {"name": data["name"], "credit_code": data["credit_code"], "contact": data["contact"],
                  "contact_phone": data["contact_phone"]}
        for key in ("town_id", "industry", "is_member"):
            default = getattr(enterprise, key) if enterprise is not None else (True if key == "is_member" else None)
            wanted[key] = data[key] if data[key] is not None else default
        row.data = wanted
        if enterprise is not None:
            row.target_id = enterprise.id
            row.changes = [key for key in COMPARED if wanted[key] != getattr(enterprise, key)]
        if data["town_id"] is not None:
            row.values["town"] = context.towns[header_key(row.values["town"])][1]
        if data["industry"]:
            row.values["industry"] = as_deferred(INDUSTRIES[data["industry"]]).as_json()
        if data["is_member"] is not None:
            row.values["member"] = as_deferred(_l("是") if data["is_member"] else _l("否")).as_json()
        _contact(context, row, data, enterprise.id if enterprise else None, holders.get(data["contact_phone"]))
    return rows


def _enterprise(actor, row: Row) -> Enterprise:
    """The row's enterprise prepared (new: flushed with the chunk) or updated (services.accounts.
    enterprises refuses before writing)."""
    wanted = row.data
    data = enterprises.EnterpriseData(wanted["name"], wanted["credit_code"], wanted["town_id"], wanted["industry"],
                                      wanted["is_member"])
    if row.target_id is None:
        return enterprises.prepare_enterprise(actor, data)
    enterprise = db.session.get(Enterprise, row.target_id)
    if any(key in row.changes for key in COMPARED):
        enterprises.update_enterprise(actor, enterprise, data)
    return enterprise


def apply(actor, _context: Context, rows: list[Row]) -> None:
    """Apply a chunk's new and update rows. An enterprise the rules refuse makes its row an error (the
    service refuses before writing). The contacts' HR accounts are prepared row by row and recorded
    together (people.record_new_accounts); classify found their phones free, so a refusal there can
    only come from a change made meanwhile: it fails the whole apply, which then writes nothing."""
    pending, written = [], []
    with db.session.no_autoflush:
        for row in rows:
            try:
                written.append((row, _enterprise(actor, row)))
            except RuleViolation as error:
                refused(row, error)
    enterprises.record_new_enterprises(actor, [e for row, e in written if row.target_id is None])
    with db.session.no_autoflush:
        for row, enterprise in written:
            if "contact" not in row.changes:
                continue
            if row.data.get("contact_id"):
                person = db.session.get(User, row.data["contact_id"])
                people.set_roles(actor, person, person.roles | {Role.HR})
            else:
                profile = people.Profile(name=row.data["contact"], phone=row.data["contact_phone"],
                                         enterprise_id=enterprise.id, roles={Role.HR})
                pending.append(people.prepare_account(actor, profile, identifiers_checked=True))
    people.record_new_accounts(actor, pending)


ENTERPRISES_KIND = register(Kind(ENTERPRISES, FIELDS, _require_admin, _prepare, classify, apply))
