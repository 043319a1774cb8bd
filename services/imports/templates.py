"""The downloadable .xlsx template of each import: the sheet to fill, a sheet of instructions, and
drop-down lists (data validation) for every column with a vocabulary.

Rules:
- The first sheet has the import's headers (services.imports.roster / enterprises FIELDS) in bold,
  required ones marked "*", no sample row (a forgotten sample would be imported), and the identifier
  columns (phone, employee number, ID card, credit code) formatted as text (Excel never turns a phone
  into 1.39E+10).
- The lists live on a hidden sheet "选项" (a drop-down of more than 255 characters cannot be written
  inline): trades (active, by name), skill levels, education levels and 在职/离职 for the roster;
  towns, industries and 是/否 for the enterprise list. Each drop-down covers MAX_ROWS rows.
- Column headers are the Chinese source names whatever the reader's language: they are what the
  import reads (the instructions sheet follows the reader's language).
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from models import SKILL_LEVELS, Town, Trade, db
from models.accounts import INDUSTRIES
from models.imports import ROSTER
from models.vocabulary import EDUCATION_LEVELS
from services.common.i18n import as_deferred
from services.imports.batches import require_import_kind

MAX_ROWS = 5000
TEXT_COLUMNS = {"phone", "employee_no", "id_card", "credit_code", "contact_phone"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


def _source(label) -> str:
    return as_deferred(label).text


def _lists(kind: str) -> dict[str, list[str]]:
    if kind == ROSTER:
        return {
            "trade": list(db.session.scalars(select(Trade.name).where(Trade.is_active.is_(True)).order_by(Trade.name))),
            "skill_level": [_source(level.label) for level in SKILL_LEVELS],
            "education": [_source(label) for label in EDUCATION_LEVELS.values()],
            "status": ["在职", "离职"],
        }
    return {
        "town": list(db.session.scalars(select(Town.name).order_by(Town.sort_order, Town.name))),
        "industry": [_source(label) for label in INDUSTRIES.values()],
        "member": ["是", "否"],
    }


def _instructions(kind: str) -> list[str]:
    common = [
        _("填写说明"),
        _("1. 在第一张表里每人（每家企业）填一行，表头不要改动；带 * 的列必填。"),
        _("2. 带下拉箭头的列请从列表中选择；日期写成 2024-03-01（2024/3/1、2024年3月1日 也可以）。"),
        _("3. 手机号、工号、身份证号列已设为文本格式，请不要改成数字格式，否则 Excel 会丢失位数。"),
        _("4. 上传后先看预览：每行标明新增、更新、无变化或错误（原因写在对应的单元格旁），确认后才导入。"),
        _("5. 同一个文件重复导入不会重复建档；表中没有的人员不会被当作离职。"),
    ]
    if kind == ROSTER:
        return common + [
            _("6. 按工号匹配本企业职工，工号找不到时按手机号匹配；新职工须填写工种和职业技能等级。"),
            _("7. 离职人员请把在职状态填为“离职”并填写离职日期。身份证号选填，填写时会校验校验位和出生日期。"),
            _("8. 导入后账号尚未开通：职工用开通码自行设置密码后才能登录。"),
        ]
    return common + [
        _("6. 按统一社会信用代码匹配企业，代码会校验校验位；新企业须填写所属镇街和行业。"),
        _("7. 填写工会联系人和手机时，将为其开设本企业的企业人力资源账号（尚未开通）。"),
    ]


def template_file(actor, kind_name: str) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the template of `kind_name` for someone who may import it
    (NotAllowed otherwise, as the import itself)."""
    kind = require_import_kind(actor, kind_name)
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册" if kind.name == ROSTER else "企业名单"
    lists_sheet = book.create_sheet("选项")
    lists_sheet.sheet_state = "hidden"
    lists = _lists(kind.name)
    next_list = 1
    for index, field in enumerate(kind.fields, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(1, index, _source(field.header) + ("*" if field.required else ""))
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[letter].width = 20 if field.key in ("name", "id_card", "credit_code") else 14
        if field.key in TEXT_COLUMNS:
            for row in range(2, MAX_ROWS + 2):
                sheet.cell(row, index).number_format = "@"
        if field.key in lists:
            list_column = get_column_letter(next_list)
            next_list += 1
            values = lists[field.key] or ["-"]
            for row, value in enumerate(values, start=1):
                lists_sheet[f"{list_column}{row}"] = value
            validation = DataValidation(type="list", allow_blank=True,
                                        formula1=f"'选项'!${list_column}$1:${list_column}${len(values)}")
            validation.error = _("请从下拉列表中选择。")
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("填写说明"), 1)
    notes.column_dimensions["A"].width = 100
    for row, line in enumerate(_instructions(kind.name), start=1):
        notes.cell(row, 1, line).font = HEADER_FONT if row == 1 else Font()
    out = io.BytesIO()
    book.save(out)
    name = "roster-template.xlsx" if kind.name == ROSTER else "enterprises-template.xlsx"
    return name, out.getvalue()
