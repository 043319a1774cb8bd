"""Demo imports: enterprise A's HR has applied one roster file (new people, one who left, a transfer
(调入) of a worker of enterprise B now waiting for her confirmation, one error row) and previewed a
second one that waits for confirmation: an update, a new person, unchanged rows (the one who left,
re-imported; the transfer under way, 调入办理中), a transfer of another worker of B, and errors, among
them a phone registered at B under another name (a conflict), a phone of one of A's people under
another name (林晓东 on 洪丽娟's phone: never an update) and a lowered skill level; and a third file the
HR discarded (已放弃). Runs the import service directly (no job)."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from core import clock
from models import User, db
from models.imports import APPLIED, PREVIEWED, ROSTER, ImportBatch
from services.common.uploads import save_upload
from services.common.validators import id_card_check_char
from services.imports import batches

HEADER = ["姓名", "手机号", "工号", "工种", "职业技能等级", "学历", "入职日期", "出生日期", "身份证号", "在职状态",
          "离职日期"]
_CARD = "35058219950703123"
ID_CARD = _CARD + id_card_check_char(_CARD)
APPLIED_ROWS = [line.split("|") for line in (
    "蔡雅琴|13903000100|A-IMP-01|运动鞋制作工|初级工（五级）|高中|2024-03-01|1998-04-12|||",
    f"施俊杰|13903000101|A-IMP-02|缝纫工|中级工（四级）|中专|2023/9/1|1995年7月3日|{ID_CARD}|在职|",
    "洪丽娟|13903000102|A-IMP-03|制鞋工|学徒工|初中及以下|2025.2.17|2003-11-30||在职|",
    "许文龙|13903000103|A-IMP-04|运动鞋制作工|高级工（三级）|大专|2019-06-01|1988-02-02||离职|{left}",
    "苏明|1.39123E+10|A-IMP-05|电工|初级工||2024-05-01||||",
    "李秀英|13902000110|A-IMP-09|缝纫工|初级工||{hired}||||",
)]
PREVIEW_ROWS = [line.split("|") for line in (
    "蔡雅琴|13903000100|A-IMP-01|运动鞋制作工|中级工（四级）|高中|2024-03-01|1998-04-12||在职|",
    "施俊杰|13903000101|A-IMP-02|缝纫工|初级工（五级）|中专|2023-09-01|1995-07-03||在职|",
    "郑海燕|13903000105|A-IMP-06|缝纫工|初级工（五级）|高中|2026-01-05|2000-08-08||在职|",
    "黄志敏|13800000021|A-IMP-07|电工|技师|本科|2026-02-01|1985-01-01||在职|",
    "林木|13903000106|A-IMP-08|木匠|大师||2026-13-01||||",
    "许文龙|13903000103|A-IMP-04|运动鞋制作工|高级工（三级）|大专|2019-06-01|1988-02-02||离职|{left}",
    "李秀英|13902000110|A-IMP-09|缝纫工|初级工||{hired}||||",
    "苏国平|13902000111|A-IMP-10|缝纫工|中级工||{hired}||||",
    "林晓东|13903000102|A-TRY-09|制鞋工|初级工||2026-01-05||||",
)]
DISCARDED_ROWS = [line.split("|") for line in (
    "郑海燕|13903000105|A-IMP-06|缝纫工|初级工（五级）|高中|2026-01-05|2000-08-08||在职|",
)]


def _file(rows) -> FileStorage:
    book = Workbook()
    sheet = book.active
    sheet.append(["晋江市恒信鞋业有限公司 职工花名册"])
    sheet.append(HEADER)
    days = {"left": (clock.today() - timedelta(days=60)).isoformat(),
            "hired": clock.today().isoformat()}
    for row in rows:
        sheet.append([cell.format(**days) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return FileStorage(io.BytesIO(out.getvalue()), filename="恒信鞋业花名册.xlsx")


def _batch(hr, rows, *, apply: bool, discard: bool = False) -> ImportBatch:
    stored = save_upload(hr, _file(rows), allowed=batches.UPLOAD_KINDS, field="file")
    batch = ImportBatch(kind=ROSTER, enterprise_id=hr.enterprise_id, created_by_id=hr.id, stored_file_id=stored.id)
    db.session.add(batch)
    db.session.flush()
    batches.process(hr, batch, apply=False)
    batch.status, batch.previewed_at = PREVIEWED, clock.now()
    if apply:
        batches.process(hr, batch, apply=True)
        batch.status, batch.applied_at = APPLIED, clock.now()
    if discard:
        batches.discard(hr, batch)
    db.session.flush()
    return batch


def seed() -> None:
    """The two roster imports of enterprise A's HR, once."""
    hr = db.session.scalar(db.select(User).where(User.username == "hr_a"))
    if hr is None or db.session.scalar(db.select(ImportBatch.id).where(ImportBatch.enterprise_id == hr.enterprise_id)):
        return
    hr_id = hr.id
    _batch(hr, APPLIED_ROWS, apply=True)
    _batch(db.session.get(User, hr_id), PREVIEW_ROWS, apply=False)
    _batch(db.session.get(User, hr_id), DISCARDED_ROWS, apply=False, discard=True)
