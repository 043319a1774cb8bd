"""Bulk imports (services.imports): the roster and the enterprise list, from messy real-world files,
previewed then applied, idempotent, with per-cell reasons, scoped to the importer's enterprise."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import xlwt
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from models import Enterprise, Role, User, db
from models.imports import APPLIED, ERROR, NEW, PREVIEWED, UPDATE, ImportRow
from services.accounts import employment
from services.common import tables
from services.common.i18n import Deferred
from services.errors import NotAllowed, NotFound, RuleViolation
from services.imports import batches
from tests.factories import TownFactory, TradeFactory, WorkerFactory, valid_credit_code

HEADER = ["姓名", "手机号", "工号", "工种", "职业技能等级", "学历", "入职日期", "出生日期", "身份证号", "在职状态",
          "离职日期"]


def id_card(birth: str, seq: str = "123") -> str:
    from services.common.validators import id_card_check_char

    first17 = "350582" + birth + seq
    return first17 + id_card_check_char(first17)


def xlsx(rows, *, title=None, merge_header=False) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for row in rows:
        sheet.append(row)
    if merge_header:  # a header cell merged over two columns (the name sits in the first)
        header_row = 2 if title else 1
        sheet.cell(header_row, len(rows[0]) + 1, None)
        sheet.merge_cells(start_row=header_row, start_column=len(rows[0]), end_row=header_row,
                          end_column=len(rows[0]) + 1)
    for _ in range(3):
        sheet.append([None] * len(HEADER))  # trailing empty rows Excel keeps
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("花名册")
    sheet.write_merge(0, 0, 0, 5, "晋江某鞋业有限公司职工花名册")
    style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r, c, value, style)
            elif value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def run_import(actor, kind, data: bytes, name="花名册.xlsx"):
    batch = batches.upload(actor, kind, FileStorage(stream=io.BytesIO(data), filename=name))
    db.session.commit()  # the preview job runs after the commit (inline in tests)
    db.session.expire_all()
    return batch


def apply(actor, batch):
    batches.start_apply(actor, batch)
    db.session.commit()
    db.session.expire_all()
    return batch


def rows_of(batch) -> dict[int, ImportRow]:
    return {r.row_no: r for r in db.session.scalars(batches.rows_query(batch))}


def reason(row: ImportRow, key: str) -> str:
    return str(Deferred.from_json(row.problems[key]))


@pytest.fixture
def trades():
    return TradeFactory(name="制鞋工"), TradeFactory(name="电工")


def roster_rows():
    return [HEADER,
            ["张三", "13912345678", "ａ００１", "制鞋工", "高级工（三级）", "本科", "2024/3/1", "1990-05-06",
             id_card("19900506"), "在职", ""],
            ["李四", "13912345679", "A002", "电工", "中级工", "大专", "2023年9月1日", "1995.1.2", "", "", ""],
            ["王五", "13912345680", "A003", "制鞋工", "四级", "高中", "2020-01-01", "1980-01-01", "", "离职",
             "2025-06-30"]]


# --- the reader -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2024, 3, 1), date(2024, 3, 1)), (45352, date(2024, 3, 1)), ("45352", date(2024, 3, 1)),
    ("2024/3/1", date(2024, 3, 1)), ("2024-03-01", date(2024, 3, 1)), ("2024年3月1日", date(2024, 3, 1)),
    ("2024.3.1", date(2024, 3, 1)), ("２０２４－０３－０１", date(2024, 3, 1)), ("20240301", date(2024, 3, 1)),
    ("2024-03-01 00:00:00", date(2024, 3, 1)), ("", None), (None, None)])
def test_dates_in_the_forms_excel_and_wps_write(value, expected):
    assert tables.read_date(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "明年", "3/1/2024"])
def test_unreadable_dates_say_so(value):
    with pytest.raises(tables.CellProblem):
        tables.read_date(value)


@pytest.mark.parametrize(("value", "expected"), [
    (13912345678.0, "13912345678"), ("13912345678.0", "13912345678"), ("1.3912345678E10", "13912345678"),
    ("1.3912345678e+10", "13912345678"), ("１３９ １２３４ ５６７８", "13912345678"),
    ("+86 139-1234-5678", "13912345678")])
def test_phones_written_as_numbers_are_recovered_when_exact(value, expected):
    assert tables.read_phone(value) == expected


def test_a_phone_whose_digits_excel_lost_is_refused_with_how_to_fix():
    with pytest.raises(tables.CellProblem) as caught:
        tables.read_phone("1.39123E+10")
    assert "科学计数法" in str(caught.value.message) and "文本" in str(caught.value.message)


def test_csv_in_gbk_and_utf8_with_bom_decode_alike():
    text = "姓名,手机号\n张三,13912345678\n"
    assert tables.decode_csv(text.encode("gbk")) == text
    assert tables.decode_csv(text.encode("utf-8-sig")) == text


# --- roster: preview and apply --------------------------------------------------------------------


def test_roster_from_xlsx_previews_then_applies_and_reimport_changes_nothing(world, trades):
    data = xlsx(roster_rows(), title="职工花名册")
    batch = run_import(world.hr_a, "roster", data)
    assert batch.status == PREVIEWED
    assert (batch.count_new, batch.count_error) == (3, 0), {r.row_no: r.problems for r in rows_of(batch).values()}
    assert db.session.scalar(select(func.count()).select_from(User).where(User.phone == "13912345678")) == 0

    apply(world.hr_a, batch)
    assert batch.status == APPLIED
    zhang = db.session.scalar(select(User).where(User.phone == "13912345678"))
    assert (zhang.employee_no, zhang.enterprise_id, zhang.skill_level, zhang.education) == (
        "A001", world.enterprise_a.id, 3, "bachelor")
    assert zhang.hire_date == date(2024, 3, 1) and zhang.id_card_no == id_card("19900506")
    assert zhang.roles == {Role.WORKER} and zhang.password_hash.startswith("!")
    wang = db.session.scalar(select(User).where(User.phone == "13912345680"))
    assert employment.leave_date(wang) == date(2025, 6, 30) and wang.enterprise_id is None  # left: in effect

    again = run_import(world.hr_a, "roster", data)
    assert (again.count_new, again.count_update, again.count_unchanged, again.count_error) == (0, 0, 3, 0)
    apply(world.hr_a, again)
    assert again.count_unchanged == 3
    people_of_a = select(func.count()).select_from(User).where(User.enterprise_id == world.enterprise_a.id)
    assert db.session.scalar(people_of_a) == 2 + 2  # hr_a, worker_a and the two imported still employed


def test_rows_match_by_employee_number_then_phone_and_show_what_changes(world, trades):
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A001", phone="13912345678", name="张三",
                  trade=trades[0], skill_level=2)
    WorkerFactory(enterprise=world.enterprise_a, employee_no="OLD9", phone="13912345679", name="李四",
                  trade=trades[1], skill_level=2)
    batch = run_import(world.hr_a, "roster", xlsx(roster_rows()))
    rows = rows_of(batch)
    assert rows[2].outcome == UPDATE and "skill_level" in rows[2].changes
    assert rows[3].outcome == UPDATE and "employee_no" in rows[3].changes  # found by phone: number changes
    assert rows[4].outcome == NEW
    apply(world.hr_a, batch)
    li = db.session.scalar(select(User).where(User.phone == "13912345679"))
    assert li.employee_no == "A002" and li.education == "college"


def test_a_person_missing_from_a_reimported_roster_has_not_left(world, trades):
    batch = apply(world.hr_a, run_import(world.hr_a, "roster", xlsx(roster_rows())))
    assert batch.status == APPLIED
    apply(world.hr_a, run_import(world.hr_a, "roster", xlsx(roster_rows()[:2])))
    li = db.session.scalar(select(User).where(User.employee_no == "A002"))
    assert employment.leave_date(li) is None and li.is_active and li.enterprise_id == world.enterprise_a.id
    assert employment.leave_date(world.worker_a) is None


def test_every_bad_cell_gets_its_own_reason_in_chinese(world, trades):
    WorkerFactory(enterprise=world.enterprise_b, phone="13700000001", employee_no="B1")
    rows = [HEADER,
            ["", "12345", "X1", "木匠", "大师", "小学毕业", "2024-02-30", "1990-01-01",
             id_card("19900101")[:-1] + "0", "退休", ""],
            ["赵六", "13700000001", "X2", "电工", "初级工", "", "2024-01-01", "", "", "离职", ""],
            ["钱七", "1.39123E+10", "X2", "电工", "初级工", "", "", "", "", "", ""],
            ["孙八", "13912340000", "X3", "", "", "", "", "", "", "", ""]]
    batch = run_import(world.hr_a, "roster", xlsx(rows))
    got = rows_of(batch)
    assert all(r.outcome == ERROR for r in got.values()) and batch.count_error == 4
    first = got[2]
    assert reason(first, "name") == "请填写姓名。"
    assert "不是有效的 11 位大陆手机号码" in reason(first, "phone")
    assert "木匠" in reason(first, "trade") and "大师" in reason(first, "skill_level")
    assert "小学毕业" in reason(first, "education") and "不存在" in reason(first, "hire_date")
    assert "校验" in reason(first, "id_card") and "在职" in reason(first, "status")
    assert reason(got[3], "phone") == "该手机号已登记在另一人名下，请联系总工会处理"  # another name: a conflict
    assert reason(got[3], "leave_date") == "离职人员须填写离职日期。"
    assert "科学计数法" in reason(got[4], "phone") and reason(got[4], "employee_no") == "与第 3 行重复。"
    assert reason(got[5], "trade") == "新职工须填写工种。"
    apply(world.hr_a, batch)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.name.in_(["赵六", "孙八"]))) == 0


@pytest.mark.parametrize("form", ["csv-bom", "csv-gbk", "xls"])
def test_messy_files_read_alike(world, trades, form):
    rows = [HEADER,
            ["张三", 13912345678, "A001", "制鞋工", "高级工", "本科", date(2024, 3, 1), "1990-05-06", "", "在职", ""],
            ["", "", "", "", "", "", "", "", "", "", ""],  # a blank row in the middle
            ["ＬＩ　Ｓｉ", "1.3912345679E10", "a002", "电工", "中级工", "大专", 45352, "1995/1/2", "", "", ""]]
    if form == "xls":
        data, name = xls(rows), "花名册.xls"
    else:
        text_rows = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in rows]
        data, name = csv_bytes(text_rows, "utf-8-sig" if form == "csv-bom" else "gbk"), "花名册.csv"
    batch = run_import(world.hr_a, "roster", data, name)
    got = rows_of(batch)
    assert batch.count_new == 2, {r.row_no: r.problems for r in got.values()}
    apply(world.hr_a, batch)
    li = db.session.scalar(select(User).where(User.phone == "13912345679"))
    assert (li.name, li.employee_no, li.hire_date) == ("LI Si", "A002", date(2024, 3, 1))


def test_merged_header_cells_and_synonyms(world, trades):
    rows = [["职工姓名", "联系电话", "员工编号", "岗位工种", "技能等级", "文化程度", "入职时间", "出生年月",
             "身份证号码", "状态", "离职时间"], roster_rows()[1]]
    batch = run_import(world.hr_a, "roster", xlsx(rows, title="花名册", merge_header=True))
    assert batch.count_new == 1, rows_of(batch)[3].problems


def test_a_file_without_a_header_fails_the_preview_with_the_reason(world):
    batch = run_import(world.hr_a, "roster", csv_bytes([["a", "b"], ["1", "2"]]), "x.csv")
    job, state = batches.job_state(batch)
    assert state == "failed" and "表头" in str(Deferred.from_json(job.message))


# --- scoping ----------------------------------------------------------------------------------------


def test_only_hr_imports_a_roster_and_only_into_its_own_enterprise(world, trades):
    for actor in (world.worker_a, world.admin, world.judge):
        with pytest.raises(NotAllowed):
            batches.upload(actor, "roster", FileStorage(io.BytesIO(xlsx(roster_rows())), "x.xlsx"))
    batch = run_import(world.hr_a, "roster", xlsx(roster_rows()))
    assert batch.enterprise_id == world.enterprise_a.id
    with pytest.raises(NotFound):
        batches.get_batch(world.hr_b, batch.id)
    with pytest.raises(NotFound):
        batches.get_batch(world.admin, batch.id)
    assert batches.get_batch(world.hr_a, batch.id) is batch
    apply(world.hr_a, batch)
    assert set(db.session.scalars(select(User.enterprise_id).where(User.employee_no.in_(["A001", "A002"])))) == {
        world.enterprise_a.id}


def test_apply_needs_a_finished_preview(world, trades):
    batch = apply(world.hr_a, run_import(world.hr_a, "roster", xlsx(roster_rows())))
    with pytest.raises(RuleViolation):
        batches.start_apply(world.hr_a, batch)


# --- enterprises ---------------------------------------------------------------------------------------


def enterprise_rows():
    TownFactory(name="陈埭镇")
    TownFactory(name="安海镇")
    return [["企业名称", "统一社会信用代码", "所属镇街", "行业", "是否会员", "工会联系人", "联系人手机"],
            ["晋江一号鞋业有限公司", valid_credit_code(901).lower(), "陈埭镇", "鞋服制造", "是", "陈工会",
             "13655550001"],
            ["晋江二号纺织有限公司", valid_credit_code(902), "安海镇", "纺织化纤", "否", "", ""],
            ["坏代码公司", valid_credit_code(903)[:-1] + "0", "不存在镇", "种地", "也许", "某人", "13655550002"]]


def test_enterprises_import_creates_enterprises_and_their_hr_and_is_idempotent(world):
    data = xlsx(enterprise_rows())
    batch = run_import(world.admin, "enterprises", data, "企业.xlsx")
    got = rows_of(batch)
    assert [got[2].outcome, got[3].outcome, got[4].outcome] == [NEW, NEW, ERROR]
    assert "校验位" in reason(got[4], "credit_code") and "不存在镇" in reason(got[4], "town")
    assert "种地" in reason(got[4], "industry") and "是" in reason(got[4], "member")
    apply(world.admin, batch)
    first = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == valid_credit_code(901)))
    assert first.town.name == "陈埭镇" and first.industry == "footwear" and first.is_member
    contact = db.session.scalar(select(User).where(User.phone == "13655550001"))
    assert contact.enterprise_id == first.id and contact.roles == {Role.HR} and contact.password_hash.startswith("!")
    second = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == valid_credit_code(902)))
    assert not second.is_member

    again = run_import(world.admin, "enterprises", data, "企业.xlsx")
    assert (again.count_new, again.count_update, again.count_unchanged, again.count_error) == (0, 0, 2, 1)


def test_enterprise_rows_update_by_credit_code_and_refuse_a_contact_of_another_enterprise(world):
    rows = enterprise_rows()
    rows[1][0] = world.enterprise_a.name + "（新名）"
    rows[1][1] = world.enterprise_a.credit_code
    rows[2][5], rows[2][6] = "乙企职工", world.worker_b.phone
    batch = run_import(world.admin, "enterprises", xlsx(rows[:3]), "企业.xlsx")
    got = rows_of(batch)
    assert got[2].outcome == UPDATE and "name" in got[2].changes
    assert reason(got[3], "contact_phone").startswith("该手机号已登记在本企业以外的人员名下：联系人须先调入本企业")
    for actor in (world.hr_a, world.worker_a):
        with pytest.raises(NotAllowed):
            batches.upload(actor, "enterprises", FileStorage(io.BytesIO(xlsx(rows)), "x.xlsx"))
    apply(world.admin, batch)
    assert world.enterprise_a.name.endswith("（新名）")
    assert rows_of(batch)[2].outcome == UPDATE


# --- scale: the test-sized check (full size: bench/imports.py, docs/performance.md) ---------------


def test_preview_and_apply_read_nothing_per_row(world, trades):
    """A chunk of rows costs the same few queries whatever its length: the preview reads the enterprise
    once and looks up each chunk's phones and ID cards together; the apply finds the chunk's numbers
    and phones free in those same lookups (people.prepare_account(identifiers_checked=True)) and
    creates the chunk's people with one flush (people.record_new_accounts). Only the inserts grow with
    the rows (one batched statement each on PostgreSQL)."""
    from tests.querycount import count_queries

    def reads(n: int, prefix: str) -> tuple[int, int]:
        rows = [HEADER] + [[f"人{prefix}{i}", f"139{prefix}{i:07d}", f"{prefix}{i}", "制鞋工", "初级工", "", "", "",
                            "", "", ""] for i in range(n)]
        with count_queries() as preview:
            batch = run_import(world.hr_a, "roster", xlsx(rows))
        with count_queries() as applying:
            apply(world.hr_a, batch)
        assert batch.count_new == n
        return tuple(sum(s.lstrip().upper().startswith(("SELECT", "UPDATE")) for s in q.statements)
                     for q in (preview, applying))

    small, large = reads(20, "1"), reads(200, "2")
    assert large[0] - small[0] <= 3, (small, large)
    assert large[1] - small[1] <= 3, (small, large)


def test_a_contact_already_of_the_enterprise_becomes_its_hr(world):
    rows = enterprise_rows()[:2]
    rows[1][1], rows[1][5], rows[1][6] = world.enterprise_a.credit_code, world.worker_a.name, world.worker_a.phone
    rows[1][0] = world.enterprise_a.name
    batch = run_import(world.admin, "enterprises", xlsx(rows), "企业.xlsx")
    got = rows_of(batch)
    assert got[2].outcome == UPDATE and "contact" in got[2].changes
    apply(world.admin, batch)
    assert Role.HR in world.worker_a.roles and Role.WORKER in world.worker_a.roles
    again = run_import(world.admin, "enterprises", xlsx(rows), "企业.xlsx")
    assert again.count_unchanged == 1


# --- employment history and transfers (调入) ------------------------------------------------------


def _row(person, *, status="", leave="", trade="制鞋工", no=None):
    return [person.name, person.phone, no or person.employee_no or "X9", trade, "", "", "", "", "", status,
            leave]


def test_a_leave_row_goes_through_record_leave_and_reimporting_it_changes_nothing(world, trades):
    from core import clock
    from models import Employment

    day = clock.today().replace(day=1)
    worker = world.worker_a
    rows = [HEADER, _row(worker, status="离职", leave=day.isoformat())]
    batch = run_import(world.hr_a, "roster", xlsx(rows))
    assert rows_of(batch)[2].outcome == UPDATE and "leave_date" in rows_of(batch)[2].changes
    apply(world.hr_a, batch)
    assert rows_of(batch)[2].outcome == UPDATE
    db.session.refresh(worker)
    job = db.session.scalar(select(Employment).where(Employment.user_id == worker.id))
    assert (job.ended_on, worker.enterprise_id) == (day, None) and job.closed_at is not None
    assert employment.leave_date(worker) == day

    again = run_import(world.hr_a, "roster", xlsx(rows))  # matched by the history: never new
    assert (again.count_new, again.count_unchanged, again.count_error) == (0, 1, 0)
    apply(world.hr_a, again)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.phone == worker.phone)) == 1

    other = run_import(world.hr_a, "roster", xlsx([HEADER, _row(worker, status="离职", leave="2020-01-01",
                                                                no=job.employee_no)]))
    assert "离职日期不能再改" in reason(rows_of(other)[2], "leave_date")


def test_a_recorded_leave_is_not_undone_or_moved_by_the_roster(world, trades):
    from datetime import timedelta

    from core import clock

    employment.record_leave(world.hr_a, world.worker_a, clock.today() + timedelta(days=10))
    db.session.commit()
    batch = run_import(world.hr_a, "roster", xlsx([HEADER, _row(world.worker_a, status="在职")]))
    assert "不能撤销离职" in reason(rows_of(batch)[2], "status")
    batch = run_import(world.hr_a, "roster", xlsx([HEADER, _row(world.worker_a, status="离职",
                                                                leave=clock.today().isoformat())]))
    assert "已登记离职日期" in reason(rows_of(batch)[2], "leave_date")


def test_a_phone_of_the_same_person_elsewhere_is_a_transfer_pending_until_confirmed(world, trades):
    from models import Transfer
    from models.employment import TRANSFER_PENDING
    from models.imports import TRANSFER, UNCHANGED

    person = world.worker_b
    rows = [HEADER, _row(person, no="A777")]
    batch = run_import(world.hr_a, "roster", xlsx(rows))
    row = rows_of(batch)[2]
    assert row.outcome == TRANSFER and batch.count_transfer == 1, row.problems
    assert "调入" in str(Deferred.from_json(row.note)) and world.enterprise_b.name in str(Deferred.from_json(row.note))
    apply(world.hr_a, batch)
    transfer = db.session.scalar(select(Transfer).where(Transfer.user_id == person.id))
    assert (transfer.status, transfer.to_enterprise_id, transfer.employee_no) == (
        TRANSFER_PENDING, world.enterprise_a.id, "A777")
    assert person.enterprise_id == world.enterprise_b.id  # nothing moves before the person confirms

    again = run_import(world.hr_a, "roster", xlsx(rows))
    row = rows_of(again)[2]
    assert row.outcome == UNCHANGED and "调入办理中" in str(Deferred.from_json(row.note))
    apply(world.hr_a, again)
    assert db.session.scalar(select(func.count()).select_from(Transfer)) == 1


def test_a_transfer_row_needs_the_trade_and_a_name_that_matches(world, trades):
    person = world.worker_b
    batch = run_import(world.hr_a, "roster", xlsx([HEADER, _row(person, trade="", no="A778")]))
    assert reason(rows_of(batch)[2], "trade") == "调入须填写在本企业的工种。"
    wrong = _row(person, no="A779")
    wrong[0] = "别人"
    batch = run_import(world.hr_a, "roster", xlsx([HEADER, wrong]))
    assert reason(rows_of(batch)[2], "phone") == "该手机号已登记在另一人名下，请联系总工会处理"


def test_a_leave_row_ends_the_persons_open_commitments_as_record_leave_does(world, trades):
    from datetime import timedelta

    from core import clock
    from models.mentorship import ENDED_EARLY
    from tests.factories_mentorship import ApprenticeFactory, MentorFactory, activate, create_pair

    mentor = MentorFactory(enterprise=world.enterprise_a, trade=trades[0])
    apprentice = ApprenticeFactory(enterprise=world.enterprise_a, trade=trades[0], employee_no="AP1")
    pair = activate(create_pair(world.hr_a, mentor, apprentice))
    db.session.commit()
    day = clock.today() - timedelta(days=1)
    apply(world.hr_a, run_import(world.hr_a, "roster", xlsx([HEADER, _row(apprentice, status="离职",
                                                                           leave=day.isoformat())])))
    db.session.refresh(pair)
    assert pair.status == ENDED_EARLY and pair.end_note == "离职"
    assert apprentice.enterprise_id is None and mentor.enterprise_id == world.enterprise_a.id


# --- the matched person must be the row's person (tryout: 林晓东 renamed 苏春梅) ---------------------


def _su_chunmei(world, trades, **extra):
    return WorkerFactory(enterprise=world.enterprise_a, employee_no="A0012", phone="13901000111", name="苏春梅",
                         trade=trades[0], skill_level=3, hire_date=date(2019, 4, 1), **extra)


def test_a_row_whose_phone_belongs_to_someone_else_is_an_error_never_an_update(world, trades):
    su = _su_chunmei(world, trades)
    batch = run_import(world.hr_a, "roster", xlsx([
        HEADER, ["林晓东", "13901000111", "A-TRY-09", "制鞋工", "初级工", "", "2026-01-05", "", "", "", ""]]))
    row = rows_of(batch)[2]
    assert row.outcome == ERROR
    assert "苏春梅" in reason(row, "phone") and "A0012" in reason(row, "phone")
    apply(world.hr_a, batch)
    db.session.refresh(su)
    assert (su.name, su.employee_no, su.skill_level, su.hire_date) == ("苏春梅", "A0012", 3, date(2019, 4, 1))


def test_a_row_whose_number_belongs_to_someone_else_or_whose_id_card_differs_is_an_error(world, trades):
    _su_chunmei(world, trades, id_card_no=id_card("19900506"))
    batch = run_import(world.hr_a, "roster", xlsx([
        HEADER, ["林晓东", "13901000222", "A0012", "制鞋工", "", "", "", "", "", "", ""],
        ["苏春梅", "13901000111", "A0012", "制鞋工", "", "", "", "1991-05-06", id_card("19910506"), "", ""]]))
    rows = rows_of(batch)
    assert rows[2].outcome == ERROR and "苏春梅" in reason(rows[2], "employee_no")
    card = reason(rows[3], "id_card")
    assert rows[3].outcome == ERROR and "*" in card and "19900506" not in card
    same = run_import(world.hr_a, "roster", xlsx([
        HEADER, ["苏 春梅", "13901000111", "A0012", "电工", "", "", "", "", "", "", ""]]))
    assert rows_of(same)[2].outcome == UPDATE  # the same name written with a space: the same person
    split = run_import(world.hr_a, "roster", xlsx([  # the phone names 苏春梅, the number worker_a
        HEADER, ["苏春梅", "13901000111", world.worker_a.employee_no, "制鞋工", "", "", "", "", "", "", ""]]))
    assert rows_of(split)[2].outcome == ERROR and "苏春梅" in reason(rows_of(split)[2], "phone")


def test_a_roster_never_lowers_a_skill_level_and_the_preview_shows_old_and_new(world, trades, client, login):
    _su_chunmei(world, trades)
    batch = run_import(world.hr_a, "roster", xlsx([
        HEADER, ["苏春梅", "13901000111", "A0012", "制鞋工", "初级工", "", "", "", "", "", ""]]))
    row = rows_of(batch)[2]
    assert row.outcome == ERROR and "不能降低" in reason(row, "skill_level")
    batch = run_import(world.hr_a, "roster", xlsx([
        HEADER, ["苏春梅", "13901000111", "A0012", "电工", "技师", "", "2019-05-01", "", "", "", ""]]))
    row = rows_of(batch)[2]
    assert row.outcome == UPDATE and row.values["_was"]["hire_date"] == "2019-04-01"
    login(client, world.hr_a)
    page = client.get(f"/imports/batches/{batch.id}").get_data(as_text=True)
    assert 'data-was="hire_date"><del>2019-04-01</del>' in page and 'data-was="trade"><del>制鞋工</del>' in page


def test_the_enterprise_contact_with_another_name_is_an_error(world):
    rows = enterprise_rows()
    rows[1][1] = world.enterprise_a.credit_code
    rows[1][5], rows[1][6] = "别人", world.worker_a.phone
    got = rows_of(run_import(world.admin, "enterprises", xlsx(rows[:2]), "企业.xlsx"))
    assert got[2].outcome == ERROR and world.worker_a.name in reason(got[2], "contact")


# --- discarding a preview; applying after the data changed ------------------------------------------


def test_the_importer_discards_a_preview_it_is_audited_and_can_no_longer_be_applied(world, trades, client, login):
    from models import AuditLog
    from tests.factories import HRFactory

    batch = run_import(world.hr_a, "roster", xlsx(roster_rows()))
    with pytest.raises(NotAllowed):
        batches.discard(HRFactory(enterprise=world.enterprise_a), batch)  # another HR of A: not the importer
    login(client, world.hr_a)
    assert 'data-testid="discard-import"' in client.get(f"/imports/batches/{batch.id}").get_data(as_text=True)
    assert client.post(f"/imports/batches/{batch.id}/discard").status_code == 302
    db.session.expire_all()
    assert batch.status == "discarded"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "import.discarded"))
    with pytest.raises(RuleViolation):
        batches.start_apply(world.hr_a, batch)
    with pytest.raises(RuleViolation):
        batches.discard(world.hr_a, batch)
    listing = client.get("/imports/roster").get_data(as_text=True)
    assert "已放弃" in listing
    assert db.session.scalar(select(func.count()).select_from(User).where(User.phone == "13912345678")) == 0


def test_applying_after_the_data_changed_says_the_result_differs_from_the_preview(world, trades, client, login):
    batch = run_import(world.hr_a, "roster", xlsx(roster_rows()))
    assert (batch.count_new, batch.count_error) == (3, 0)
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A001", phone="13912345678", name="别人")  # meanwhile
    db.session.commit()
    apply(world.hr_a, batch)
    assert (batch.count_new, batch.count_error) == (2, 1)
    login(client, world.hr_a)
    page = client.get(f"/imports/batches/{batch.id}").get_data(as_text=True)
    assert 'data-testid="import-changed"' in page and "数据已变化，按最新数据导入" in page and "预览时为新增 3" in page
    again = apply(world.hr_a, run_import(world.hr_a, "roster", xlsx(roster_rows())))
    page = client.get(f"/imports/batches/{again.id}").get_data(as_text=True)
    assert 'data-testid="import-changed"' not in page  # nothing changed between preview and apply
