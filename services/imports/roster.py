"""The roster import (花名册): HR loads its enterprise's people from Excel.

Rules (issue 13, "Bulk import"):
- HR only, into its own enterprise (the batch's enterprise is the HR's; people are matched within it).
- Columns: 姓名, 手机号, 工号 (required), 工种, 职业技能等级 (required for a new person), 学历, 入职日期,
  出生日期, 身份证号 (optional), 在职状态 (在职/离职) and 离职日期. Names, identifiers and labels are
  normalised (NFKC, spaces, case) before they are compared.
- A row matches a person of the enterprise by employee number, then by phone; people who left it are
  matched by their employment history (任职记录: this enterprise and the employee number they had
  here), then phone. Matched and nothing differs: unchanged; something differs: update; no match: new
  (an account that is not activated: no password, services.accounts.people.create_account). An empty
  optional cell keeps what is stored. A person who left: unchanged when the row says 离职 with the same
  date (re-importing is idempotent), never new; another leave date is an error (a leave is recorded
  once); 在职 goes the transfer way below.
- Transfers (调入): a row whose phone is registered to a person outside the enterprise goes through
  services.accounts.transfers.find_transfer_candidate: the same person (name, and ID card where both
  have one) makes the row "transfer" (explained in the preview; applying calls start_transfer, the
  person confirms later in their account, as with HR's form; the trade is required); a conflict is an
  error with that service's message. While the transfer is pending the row is unchanged ("调入办理中").
- Errors, each on its cell: a missing or unreadable value, an unknown trade / level / education, an
  invalid mobile number, an ID-card number whose check character or birth date is wrong
  (validators.id_card_problem) or held by someone else, dates against the profile's rules
  (people.check_dates), 离职 without a leave date, the number and the phone naming two different
  people, a number or phone twice in the file, a leave date other than the one recorded, 在职 for a
  person whose leave is recorded.
- The matched person must be the row's (services.imports.roster_match): another name, or another
  ID-card number where both have one, is an error naming the stored person, never an update; a lower
  skill level than the one recorded is an error (levels change through services.skills, with a
  certificate). The preview of an update keeps the stored values of the changed cells (values["_was"]:
  shown as old -> new).
- Leaving is stated, never inferred: a person missing from the file is untouched; a 离职 row records
  the leave through services.accounts.employment.record_leave (`record_employment`: the one rule for
  leaving; commitments end as that service does). The leave date is the employment's ended_on.
"""

from __future__ import annotations

from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Role, User, db
from models.imports import ROSTER, TRANSFER
from models.skills import SKILL_LEVELS
from models.vocabulary import EDUCATION_LEVELS
from services import policy
from services.accounts import employment, people, transfers
from services.common import audit
from services.common.i18n import as_deferred
from services.common.tables import (
    CellProblem,
    Field,
    cell_text,
    header_key,
    name_text,
    read_date,
    read_decimal_text,
    read_phone,
)
from services.common.validators import (
    id_card_problem,
    is_valid_mobile,
    mask_id_card,
    normalize_employee_no,
    normalize_id_card,
)
from services.errors import NotAllowed, RuleViolation
from services.imports.batches import Kind, Row, refused, register
from services.imports.roster_match import (
    COMPARED,
    EMPLOYED,
    LEFT,
    Context,
    check_leave,
    check_level,
    duplicates,
    holders,
    match,
    pending_transfers,
)
from services.imports.words import education_code, level_rank

FIELDS = [
    Field("name", _l("姓名"), ("职工姓名", "员工姓名", "名字"), required=True),
    Field("phone", _l("手机号"), ("手机", "手机号码", "联系电话", "电话", "移动电话", "联系方式"), required=True),
    Field("employee_no", _l("工号"), ("员工工号", "职工工号", "员工编号", "职工编号", "编号"), required=True),
    Field("trade", _l("工种"), ("岗位工种", "职业工种", "职业")),
    Field("skill_level", _l("职业技能等级"), ("技能等级", "等级", "技术等级")),
    Field("education", _l("学历"), ("文化程度", "最高学历")),
    Field("hire_date", _l("入职日期"), ("入职时间", "入厂日期", "入职")),
    Field("birth_date", _l("出生日期"), ("出生年月", "出生年月日", "生日")),
    Field("id_card", _l("身份证号"), ("身份证号码", "身份证", "公民身份号码")),
    Field("status", _l("在职状态"), ("状态", "是否在职", "在职/离职")),
    Field("leave_date", _l("离职日期"), ("离职时间",)),
]
STATUS_LABELS = {EMPLOYED: _l("在职"), LEFT: _l("离职")}
STATUS_WORDS = {"在职": EMPLOYED, "在岗": EMPLOYED, "离职": LEFT, "已离职": LEFT}

def record_employment(actor, person: User, leave_date, recorded=None) -> None:
    """The one place a roster import writes leaving (离职): services.accounts.employment.record_leave
    (its rules, audit and ending of commitments) when the row states a leave date not yet recorded
    (`recorded`: the one on the employment record, if any). Raises as record_leave does."""
    if leave_date is None or leave_date == recorded:
        return
    employment.record_leave(actor, person, leave_date)


def _require_hr(actor, batch=None) -> None:
    """HR only, and of the batch's enterprise when there is one (NotAllowed otherwise)."""
    if not policy.is_hr(actor) or (batch is not None and batch.enterprise_id != actor.enterprise_id):
        raise NotAllowed(_l("只有企业人力资源可以导入本企业花名册。"))


def _prepare(actor, batch) -> Context:
    _require_hr(actor, batch)
    return Context(actor, batch)


def _read(row: Row, key: str, reader, raw):
    try:
        return reader(raw)
    except CellProblem as problem:
        row.problem(key, problem.message)
        return None


def _read_cells(context: Context, row: Row, raw: dict) -> dict:
    """The row's values, checked cell by cell (problems recorded on the row)."""
    data = {"name": name_text(raw.get("name")),
            "employee_no": normalize_employee_no(read_decimal_text(raw.get("employee_no")))}
    if not data["name"]:
        row.problem("name", _l("请填写姓名。"))
    elif len(data["name"]) > 50:
        row.problem("name", _l("姓名不能超过 50 个字符。"))
    phone = _read(row, "phone", read_phone, raw.get("phone")) or ""
    data["phone"] = phone
    if "phone" not in row.problems:
        if not phone:
            row.problem("phone", _l("请填写手机号。"))
        elif not is_valid_mobile(phone):
            row.problem("phone", _l("“%(v)s”不是有效的 11 位大陆手机号码。", v=phone))
    if not data["employee_no"]:
        row.problem("employee_no", _l("请填写工号。"))
    elif len(data["employee_no"]) > 32:
        row.problem("employee_no", _l("工号不能超过 32 个字符。"))
    trade = cell_text(raw.get("trade"))
    data["trade_id"] = None
    if trade:
        found = context.trades.get(header_key(trade))
        if found is None:
            row.problem("trade", _l("没有名为“%(v)s”的工种（见模板的下拉列表）。", v=trade))
        else:
            data["trade_id"], row.values["trade"] = found
    level = cell_text(raw.get("skill_level"))
    data["skill_level"] = level_rank(level) if level else None
    if level and data["skill_level"] is None:
        row.problem("skill_level", _l("无法识别的职业技能等级“%(v)s”（见模板的下拉列表）。", v=level))
    education = cell_text(raw.get("education"))
    data["education"] = education_code(education) if education else None
    if education and data["education"] is None:
        row.problem("education", _l("无法识别的学历“%(v)s”（初中及以下、高中、中专、大专、本科、研究生）。",
                                    v=education))
    for key in ("hire_date", "birth_date", "leave_date"):
        data[key] = _read(row, key, read_date, raw.get(key))
    _read_status(row, raw, data)
    id_card = normalize_id_card(cell_text(raw.get("id_card")))
    data["id_card_no"] = id_card or None
    if id_card:
        problem = id_card_problem(id_card, birth_date=data["birth_date"])
        if problem:
            row.problem("id_card", problem)
    return data


def _read_status(row: Row, raw: dict, data: dict) -> None:
    status_text = cell_text(raw.get("status"))
    status = STATUS_WORDS.get(header_key(status_text)) if status_text else None
    if status_text and status is None:
        row.problem("status", _l("在职状态只能填“在职”或“离职”。"))
    if status is None and data["leave_date"] is not None:
        status = LEFT
    data["status"] = status
    if status == LEFT and data["leave_date"] is None and "leave_date" not in row.problems:
        row.problem("leave_date", _l("离职人员须填写离职日期。"))
    if status == EMPLOYED and data["leave_date"] is not None:
        row.problem("leave_date", _l("在职人员不应填写离职日期。"))
    leave, hire = data["leave_date"], data["hire_date"]
    if leave is not None and leave > clock.today():
        row.problem("leave_date", _l("离职日期不能晚于今天。"))
    if leave is not None and hire is not None and leave < hire:
        row.problem("leave_date", _l("离职日期不能早于入职日期。"))


def _check_dates(row: Row, data: dict) -> None:
    try:
        people.check_dates(people.Profile(hire_date=data["hire_date"], birth_date=data["birth_date"]))
    except RuleViolation as error:
        row.problem(error.field or "hire_date", error.message)


def _desired(target: dict | None, data: dict) -> dict:
    """What the person's compared fields become: the row's values, an empty optional cell keeping
    what is stored; the leave date follows the stated status."""
    wanted = {key: data.get(key) for key in COMPARED if key != "leave_date"}
    if target is not None and target.get("former"):
        return {**{key: target[key] for key in COMPARED}, "recorded_leave": target["leave_date"]}
    if target is not None:
        for key in ("trade_id", "skill_level", "education", "hire_date", "birth_date", "id_card_no"):
            if wanted[key] is None:
                wanted[key] = target[key]
    if data["status"] == LEFT:
        wanted["leave_date"] = data["leave_date"]
    elif data["status"] == EMPLOYED or target is None:
        wanted["leave_date"] = None
    else:
        wanted["leave_date"] = target["leave_date"]
    wanted["recorded_leave"] = target["leave_date"] if target is not None else None
    return wanted


def _shown(row: Row, data: dict) -> None:
    values = row.values
    values.update({key: data[key] for key in ("name", "phone", "employee_no") if data[key]})
    if data["skill_level"] is not None:
        values["skill_level"] = as_deferred(SKILL_LEVELS[data["skill_level"]].label).as_json()
    if data["education"]:
        values["education"] = as_deferred(EDUCATION_LEVELS[data["education"]]).as_json()
    for key in ("hire_date", "birth_date", "leave_date"):
        if data[key] is not None:
            values[key] = data[key].isoformat()
    if data["id_card_no"]:
        values["id_card"] = mask_id_card(data["id_card_no"])
    if data["status"]:
        values["status"] = as_deferred(STATUS_LABELS[data["status"]]).as_json()


# A compared field -> the column that shows it (for the preview's old -> new).
_COLUMN = {"trade_id": "trade", "id_card_no": "id_card"}


def _was(context: Context, row: Row, target: dict) -> None:
    """The stored values of the changed cells, shown in the preview as old -> new (values["_was"])."""
    was = {}
    for key in row.changes:
        value = target.get(key)
        if value is None:
            shown = ""
        elif key == "skill_level":
            shown = as_deferred(SKILL_LEVELS[value].label).as_json()
        elif key == "education":
            shown = as_deferred(EDUCATION_LEVELS[value]).as_json()
        elif key == "trade_id":
            shown = next((label for trade_id, label in context.trades.values() if trade_id == value), "")
        elif key == "id_card_no":
            shown = mask_id_card(value)
        elif hasattr(value, "isoformat"):
            shown = value.isoformat()
        else:
            shown = str(value)
        was[_COLUMN.get(key, key)] = shown
    if was:
        row.values["_was"] = was


def classify(context: Context, chunk: list) -> list[Row]:
    """Rows of one chunk, each read, checked and matched (module rules)."""
    rows, datas = [], []
    for row_no, raw in chunk:
        row = Row(row_no, values={key: cell_text(value) for key, value in raw.items() if cell_text(value)})
        if "id_card" in row.values:
            row.values["id_card"] = mask_id_card(normalize_id_card(row.values["id_card"]))
        data = _read_cells(context, row, raw)
        rows.append(row)
        datas.append(data)
    phones = {d["phone"] for d in datas if d["phone"]}
    elsewhere = holders(User.phone, phones, context.enterprise_id)
    context.pending = pending_transfers(elsewhere)
    cards = {d["id_card_no"] for d in datas if d["id_card_no"]}
    card_holders = dict(db.session.execute(select(User.id_card_no, User.id).where(User.id_card_no.in_(cards))).all()) \
        if cards else {}
    for row, data in zip(rows, datas, strict=True):
        _shown(row, data)
        _check_dates(row, data)
        duplicates(context, row, data)
        target = match(context, row, data, elsewhere)
        check_leave(row, target, data)
        check_level(row, target, data)
        person_id = target["id"] if target is not None else row.data.get("transfer_person_id")
        holder = card_holders.get(data["id_card_no"])
        if holder is not None and holder != person_id:
            row.problem("id_card", _l("该身份证号已登记在其他账号上。"))
        if target is None and row.fixed_outcome is None:
            if data["trade_id"] is None and "trade" not in row.problems:
                row.problem("trade", _l("新职工须填写工种。"))
            if data["skill_level"] is None and "skill_level" not in row.problems:
                row.problem("skill_level", _l("新职工须填写职业技能等级。"))
        wanted = _desired(target, data)
        if target is not None:
            row.target_id = target["id"]
            row.changes = [key for key in COMPARED if wanted[key] != target[key]]
            _was(context, row, target)
        row.data = {**row.data, **wanted}
    return rows


def _profile(wanted: dict, person: User | None = None) -> people.Profile:
    if person is None:
        return people.Profile(name=wanted["name"], phone=wanted["phone"], employee_no=wanted["employee_no"],
                              trade_id=wanted["trade_id"], skill_level=wanted["skill_level"],
                              hire_date=wanted["hire_date"], birth_date=wanted["birth_date"], roles={Role.WORKER},
                              education=wanted["education"])
    return people.Profile(
        name=wanted["name"], username=person.username, phone=wanted["phone"], enterprise_id=person.enterprise_id,
        employee_no=wanted["employee_no"], trade_id=wanted["trade_id"], skill_level=wanted["skill_level"],
        hire_date=wanted["hire_date"], birth_date=wanted["birth_date"], trade_since=person.trade_since,
        roles=person.roles, education=wanted["education"])


def _update(actor, row: Row) -> User:
    """An update row through people.update_account, then the ID card (audited)."""
    wanted = row.data
    person = db.session.get(User, row.target_id)
    before = {"id_card_no": person.id_card_no}
    people.update_account(actor, person, _profile(wanted, person))  # education included (audited there)
    person.id_card_no = wanted["id_card_no"]
    changed = {key: [before[key], wanted[key]] for key in before if before[key] != wanted[key]}
    if "id_card_no" in changed:
        changed["id_card_no"] = [mask_id_card(v) if v else None for v in changed["id_card_no"]]
    if changed:
        audit.record("account.updated", actor=actor, obj=person, changes=changed, via="roster_import")
    return person


def apply(actor, context: Context, rows: list[Row]) -> None:
    """Write a chunk's new and update rows (services.accounts.people's rules apply once more; they
    refuse before writing, so a refused row leaves nothing). New people are prepared one by one and
    recorded together (people.record_new_accounts: one flush for the chunk, not two per person)."""
    done: list[tuple[Row, User]] = []
    pending = []
    with db.session.no_autoflush:
        for row in rows:
            try:
                if row.outcome == TRANSFER:
                    _start_transfer(actor, row)
                elif row.target_id is None:
                    # classify found the number free in the enterprise and the phone free everywhere
                    item = people.prepare_account(actor, _profile(row.data), identifiers_checked=True)
                    item.user.id_card_no = row.data["id_card_no"]
                    pending.append(item)
                    done.append((row, item.user))
                else:
                    done.append((row, _update(actor, row)))
            except RuleViolation as error:
                refused(row, error)
    people.record_new_accounts(actor, pending)
    for row, person in done:
        try:
            record_employment(actor, person, row.data["leave_date"], row.data["recorded_leave"])
        except RuleViolation as error:  # checked in classify; the service has the last word
            refused(row, error)
        context.remember({**{key: row.data[key] for key in COMPARED}, "id": person.id,
                          "former": person.enterprise_id != context.enterprise_id})


def _start_transfer(actor, row: Row) -> None:
    """A transfer row: transfers.start_transfer into the HR's enterprise with the row's employee
    number, trade and hire date (the person confirms later, as with HR's form)."""
    wanted = row.data
    person = db.session.get(User, wanted["transfer_person_id"])
    transfers.start_transfer(actor, person, people.Profile(
        name=wanted["name"], phone=wanted["phone"], employee_no=wanted["employee_no"], trade_id=wanted["trade_id"],
        hire_date=wanted["hire_date"], id_card_no=wanted["id_card_no"]))


# No savepoint per row: people.create_account / update_account refuse before they write (checked in classify).
ROSTER_KIND = register(Kind(ROSTER, FIELDS, _require_hr, _prepare, classify, apply))
