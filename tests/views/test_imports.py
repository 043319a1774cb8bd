"""Import pages over HTTP: the template download, upload -> preview page with per-cell reasons -> apply,
the batch page's query count, and the worker list export (ID-card numbers masked but for the employer's HR)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from models import User, db
from services.common.validators import mask_id_card
from tests.factories import TradeFactory, WorkerFactory
from tests.querycount import count_queries
from tests.services.test_imports import HEADER, id_card, roster_rows, xlsx


def test_roster_template_has_instructions_and_drop_downs(client, login, world):
    TradeFactory(name="制鞋工")
    login(client, world.hr_a)
    response = client.get("/imports/roster/template")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:2] == ["花名册", "填写说明"] and book["选项"].sheet_state == "hidden"
    sheet = book["花名册"]
    assert [c.value for c in sheet[1]][:3] == ["姓名*", "手机号*", "工号*"]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(validations) == {"D2", "E2", "F2", "J2"}  # trade, level, education, status
    options = book["选项"]
    assert "制鞋工" in [c.value for c in options["A"]] and "高级工（三级）" in [c.value for c in options["B"]]
    assert sheet["B2"].number_format == "@"  # the phone column is text: Excel keeps every digit


def test_enterprise_template_lists_towns_and_industries(client, login, world):
    login(client, world.admin)
    book = load_workbook(io.BytesIO(client.get("/imports/enterprises/template").data))
    options = [c.value for c in book["选项"]["B"]]
    assert "鞋服制造" in options
    assert len(book["企业名单"].data_validations.dataValidation) == 3


def test_hr_uploads_previews_and_applies_a_roster(client, login, world):
    TradeFactory(name="制鞋工")
    TradeFactory(name="电工")
    rows = roster_rows() + [["坏行", "12345", "A009", "木匠", "", "", "", "", "", "", ""]]
    login(client, world.hr_a)
    page = client.get("/imports/roster")
    assert "下载模板" in page.get_data(as_text=True)
    response = client.post("/imports/roster", data={"file": (io.BytesIO(xlsx(rows, title="花名册")), "花名册.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "新增 3" in text and "错误 1" in text
    assert "不是有效的 11 位大陆手机号码" in text and "没有名为“木匠”的工种" in text
    error_page = client.get(response.request.path + "?outcome=error").get_data(as_text=True)
    assert "坏行" in error_page and "张三" not in error_page

    applied = client.post(response.request.path + "/apply", follow_redirects=True).get_data(as_text=True)
    assert "已导入" in applied
    assert db.session.scalar(select(User.name).where(User.employee_no == "A001")) == "张三"


def test_the_batch_page_does_not_query_per_row(client, login, world):
    TradeFactory(name="制鞋工")
    login(client, world.hr_a)

    def queries(n):
        rows = [HEADER] + [[f"人{i}", f"1391234{i:04d}", f"Q{n}-{i}", "制鞋工", "初级工", "", "", "", "", "", ""]
                           for i in range(n)]
        response = client.post("/imports/roster", data={"file": (io.BytesIO(xlsx(rows)), "r.xlsx")},
                               content_type="multipart/form-data")
        url = response.headers["Location"]
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    assert queries(3) == queries(60)


def test_worker_export_masks_id_cards_except_for_the_employers_hr(client, login, world):
    number = id_card("19900506")
    WorkerFactory(enterprise=world.enterprise_a, name="有证者", id_card_no=number, birth_date=None)
    login(client, world.hr_a)
    sheet = load_workbook(io.BytesIO(client.get("/workers/export").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["有证者"][9] == number and "乙企职工" not in rows
    login(client, world.admin)
    sheet = load_workbook(io.BytesIO(client.get("/workers/export").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["有证者"][9] == mask_id_card(number) and "乙企职工" in rows


def test_a_persons_page_shows_the_id_card_in_full_to_the_employers_hr_only(client, login, world):
    number = id_card("19900506")
    person = WorkerFactory(enterprise=world.enterprise_a, name="有证者", id_card_no=number, education="college")
    login(client, world.hr_a)
    text = client.get(f"/workers/{person.id}").get_data(as_text=True)
    assert number in text and "大专" in text
    login(client, world.admin)
    text = client.get(f"/workers/{person.id}").get_data(as_text=True)
    assert number not in text and mask_id_card(number) in text


def test_a_big_worker_export_runs_as_a_job_with_its_file(client, login, world, monkeypatch):
    from services.accounts import roster_export

    monkeypatch.setattr(roster_export, "INLINE_ROWS", 1)
    login(client, world.admin)
    page = client.get("/workers/export")
    assert page.status_code == 200 and "开始导出" in page.get_data(as_text=True)
    started = client.post("/workers/export")
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    download = client.get(started.headers["Location"] + "/download")
    sheet = load_workbook(io.BytesIO(download.data)).active
    names = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"甲企职工", "乙企职工"} <= names


def test_the_preview_shows_a_transfer_with_its_explanation_and_apply_starts_it(client, login, world):
    from models import Transfer

    TradeFactory(name="制鞋工")
    person = world.worker_b
    rows = [HEADER, [person.name, person.phone, "A900", "制鞋工", "初级工", "", "", "", "", "", ""]]
    login(client, world.hr_a)
    response = client.post("/imports/roster", data={"file": (io.BytesIO(xlsx(rows)), "r.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert 'data-outcome="transfer"' in text and "调入 1" in text
    assert "导入后发起调入" in text and world.enterprise_b.name in text
    assert "确认导入（新增 0，更新 0，调入 1）" in text
    applied = client.post(response.request.path + "/apply", follow_redirects=True).get_data(as_text=True)
    assert "发起调入 1" in applied
    assert db.session.scalar(select(Transfer.employee_no).where(Transfer.user_id == person.id)) == "A900"


def test_the_person_page_shows_the_leave_date_from_the_employment_record(client, login, world):
    from datetime import timedelta

    from core import clock
    from services.accounts import employment

    day = clock.today() + timedelta(days=5)
    employment.record_leave(world.hr_a, world.worker_a, day)
    db.session.commit()
    login(client, world.hr_a)
    html = client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    assert 'data-testid="leave-date"' in html
    sheet = load_workbook(io.BytesIO(client.get("/workers/export").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    status, leave = rows[world.worker_a.name][10:12]
    assert status == "离职" and leave.date() == day


def test_the_id_card_is_shown_once_whole_to_the_person_and_their_hr_masked_to_others(client, login, world):
    number = id_card("19900506")
    world.worker_a.id_card_no = number
    db.session.commit()
    for reader, whole in ((world.worker_a, True), (world.hr_a, True), (world.admin, False)):
        login(client, reader)
        url = "/profile" if reader is world.worker_a else f"/workers/{world.worker_a.id}"
        html = client.get(url).get_data(as_text=True)
        assert html.count('data-testid="id-card"') == 1, reader
        assert (number in html) is whole and (mask_id_card(number) in html) is not whole


def test_the_export_reads_leave_dates_per_batch_not_per_row(world):
    from services.accounts import employment, roster_export

    def queries(n: int) -> int:
        for _ in range(n):
            person = WorkerFactory(enterprise=world.enterprise_a)
            employment.open_employment(person)
        db.session.commit()
        db.session.expire_all()
        with count_queries() as counter:
            roster_export.workers_file(db.session.get(User, world.hr_a.id))
        return counter.count

    assert queries(3) == queries(30)
