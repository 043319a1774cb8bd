"""Time the two imports at the city's scale: a 5,000-row roster and the 2,500-row enterprise list, each
previewed and applied through the real jobs (services.imports.batches), and each re-imported (every row
unchanged). A measurement, not a test (docs/performance.md, "Imports").

    .venv/bin/python -m bench.imports                       # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_imports .venv/bin/python -m bench.imports

The PostgreSQL database must exist and be given to this: its schema is emptied, migrated to the head,
and emptied again at the end.
Environment: IMPORT_ROWS (5000), ENTERPRISE_ROWS (2500).
"""

from __future__ import annotations

import io
import os
import resource
import tempfile
import time

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage


def _xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_file(n: int) -> bytes:
    header = ["姓名", "手机号", "工号", "工种", "职业技能等级", "学历", "入职日期", "出生日期", "身份证号", "在职状态",
              "离职日期"]
    levels = ["学徒工", "初级工（五级）", "中级工（四级）", "高级工（三级）", "技师（二级）"]
    rows = [header]
    for i in range(n):
        rows.append([f"职工{i:05d}", f"137{i:08d}", f"R{i:05d}", "制鞋工" if i % 2 else "电工", levels[i % 5],
                     "高中", f"2020-{i % 12 + 1:02d}-01", f"19{70 + i % 30}-05-06", "", "在职", ""])
    return _xlsx(rows)


def enterprise_file(n: int) -> bytes:
    from services.common.validators import credit_code_check_char

    rows = [["企业名称", "统一社会信用代码", "所属镇街", "行业", "是否会员", "工会联系人", "联系人手机"]]
    for i in range(n):
        first17 = f"91350582MB{i:07d}"
        rows.append([f"晋江市导入测试{i:04d}有限公司", first17 + credit_code_check_char(first17), "陈埭镇", "鞋服制造",
                     "是", f"联系人{i:04d}", f"136{i:08d}"])
    return _xlsx(rows)


def _run(actor, kind: str, data: bytes, label: str) -> None:
    from models import db
    from services.imports import batches

    started = time.perf_counter()
    batch = batches.upload(actor, kind, FileStorage(io.BytesIO(data), f"{kind}.xlsx"))
    db.session.commit()  # the preview job runs here (inline)
    previewed = time.perf_counter()
    db.session.expire_all()
    batch = db.session.get(type(batch), batch.id)
    batches.start_apply(actor, batch)
    db.session.commit()  # the apply job
    applied = time.perf_counter()
    db.session.expire_all()
    batch = db.session.get(type(batch), batch.id)
    print(f"{label}: preview {previewed - started:.1f} s, apply {applied - previewed:.1f} s, "
          f"counts {batch.counts}, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


def _fresh_schema(upgrade_after: bool = True) -> None:
    """Empty the database and bring it to the migrations' head (the schema as `flask db upgrade` makes it)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import MIGRATIONS_DIR
    from models import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    if upgrade_after:
        upgrade(directory=MIGRATIONS_DIR)


def main() -> None:
    from app import create_app
    from models import Role, Trade, User, UserRole, db
    from services.common.reference import ensure_reference_data
    from tests.factories import valid_credit_code

    folder = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/imports.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": folder, "JOBS_BACKEND": "inline",
                      "SECRET_KEY": "bench", "TESTING": True})
    roster_rows = int(os.environ.get("IMPORT_ROWS", 5000))
    enterprise_rows = int(os.environ.get("ENTERPRISE_ROWS", 2500))
    with app.app_context():
        _fresh_schema()
        ensure_reference_data()
        from models import Enterprise, Town

        town = db.session.scalar(db.select(Town).where(Town.name == "陈埭镇"))
        enterprise = Enterprise(name="基准企业", credit_code=valid_credit_code(1), town_id=town.id, industry="footwear")
        db.session.add(enterprise)
        db.session.flush()
        hr = User(name="基准人事", username="bench_hr", password_hash="!", enterprise_id=enterprise.id,
                  role_rows=[UserRole(role=str(Role.HR))])
        admin = User(name="基准管理员", username="bench_admin", password_hash="!",
                     role_rows=[UserRole(role=str(Role.ADMIN))])
        db.session.add_all([hr, admin])
        assert db.session.scalar(db.select(Trade.id).where(Trade.name == "制鞋工"))
        db.session.commit()
        print(f"database: {db.engine.url.get_backend_name()}")
        roster = roster_file(roster_rows)
        _run(hr, "roster", roster, f"roster {roster_rows} rows")
        _run(db.session.get(User, hr.id), "roster", roster, f"roster {roster_rows} rows again")
        enterprises = enterprise_file(enterprise_rows)
        _run(db.session.get(User, admin.id), "enterprises", enterprises, f"enterprises {enterprise_rows} rows")
        _run(db.session.get(User, admin.id), "enterprises", enterprises, f"enterprises {enterprise_rows} rows again")
        db.session.remove()
        _fresh_schema(upgrade_after=False)


if __name__ == "__main__":
    main()
