"""Browser journey of the roster import (issue 13): HR downloads the template, fills it in, uploads it, sees
the preview (every row with its outcome, the reason beside the cell) and applies it; at a phone's
viewport (390 x 844) and at the desk."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import User, db
from tests.e2e.conftest import login_through_form, screenshot
from tests.factories import PASSWORD, TradeFactory

pytestmark = pytest.mark.e2e


def _filled_template(data: bytes, prefix: str) -> bytes:
    """The downloaded template with two good rows and one bad one, as HR would fill it."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["花名册"]
    rows = [
        ["陈美玲", "13955500001", f"{prefix}01", "制鞋工", "中级工（四级）", "高中", "2024-03-01", "1996-04-05"],
        ["许国平", "13955500002", f"{prefix}02", "制鞋工", "高级工（三级）", "大专", "2021/9/1", "1990年1月2日"],
        ["林错误", "12345", f"{prefix}03", "木匠", "初级工（五级）", "", "", ""],
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("viewport", "label"), [({"width": 390, "height": 844}, "phone"),
                                                 ({"width": 1280, "height": 900}, "desktop")])
def test_hr_imports_a_roster_from_the_template(page, world, viewport, label):
    TradeFactory(name="制鞋工")
    db.session.commit()
    prefix = "P" if label == "phone" else "D"
    page.set_viewport_size(viewport)
    login_through_form(page, world.hr_a.username, PASSWORD)
    page.goto("/workers/")
    page.get_by_test_id("roster-import-link").click()
    page.wait_for_url(re.compile(r"/imports/roster$"))
    with page.expect_download() as download_info:
        page.get_by_test_id("template-link").click()
    template = download_info.value
    assert template.suggested_filename == "roster-template.xlsx"
    filled = _filled_template(template.path().read_bytes(), prefix)
    page.get_by_label("Excel 或 CSV 文件").set_input_files(
        {"name": "花名册.xlsx", "mimeType": "application/octet-stream", "buffer": filled})
    screenshot(page, f"imports-roster-upload-{label}")
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_test_id("apply-import").wait_for()  # the preview job ran; the page reloaded itself
    counts = page.get_by_test_id("import-counts").inner_text()
    assert "新增 2" in counts and "错误 1" in counts
    assert "不是有效的 11 位大陆手机号码" in page.content() and "没有名为“木匠”的工种" in page.content()
    screenshot(page, f"imports-roster-preview-{label}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, f"the preview overflows the {label} viewport ({width}px)"
    page.get_by_test_id("apply-import").click()
    page.get_by_test_id("import-state").filter(has_text="已导入").wait_for()
    screenshot(page, f"imports-roster-applied-{label}")
    db.session.expire_all()
    names = set(db.session.scalars(select(User.name).where(User.employee_no.like(f"{prefix}0%"))))
    assert names == {"陈美玲", "许国平"}
    assert page.console_errors == []
