"""Migration 0020: one open employment per existing worker or HR with an employer, from the account's
enterprise, employee number, trade and hire date; nobody else gets one; downgrade drops the tables."""

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import MIGRATIONS_DIR, create_app
from models import db
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

BEFORE = "0017_id_card"


def test_existing_workers_and_hr_get_one_open_employment(empty_database, tmp_path):  # noqa: F811 - the fixture
    url, engine_options = empty_database
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path),
                           "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with migrated.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            town_id = conn.execute(text("SELECT min(id) FROM town")).scalar()
            trade_id = conn.execute(text("SELECT min(id) FROM trade")).scalar()
            enterprise_id = conn.execute(db.metadata.tables["enterprise"].insert().values(
                name="旧企业", credit_code="91350000158142711F", town_id=town_id, industry="footwear",
                is_member=True, is_active=True)).inserted_primary_key[0]
            user, role = db.metadata.tables["user"], db.metadata.tables["user_role"]
            ids = {}
            for name, eid, no, hired, roles in (("工", enterprise_id, "A1", date(2019, 4, 1), ("worker", "judge")),
                                                ("人事", enterprise_id, None, None, ("hr",)),
                                                ("评委", None, None, None, ("judge",)),
                                                ("管理员", None, None, None, ("admin",))):
                ids[name] = conn.execute(user.insert().values(
                    name=name, password_hash="x", enterprise_id=eid, employee_no=no, hire_date=hired,
                    trade_id=trade_id if no else None, phone=None, username=f"u{len(ids)}abc",
                    is_active=True, session_token=f"t{len(ids)}", must_change_password=False)).inserted_primary_key[0]
                conn.execute(role.insert(), [{"user_id": ids[name], "role": r} for r in roles])
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT user_id, enterprise_id, employee_no, trade_id, started_on, ended_on "
                                     "FROM employment ORDER BY user_id")).all()
            started = rows[0][4] if isinstance(rows[0][4], date) else date.fromisoformat(rows[0][4])
            assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
                (ids["工"], enterprise_id, "A1", trade_id, None), (ids["人事"], enterprise_id, None, None, None)]
            assert started == date(2019, 4, 1)
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.connect() as conn:
            assert {"employment", "transfer"}.isdisjoint(inspect(conn).get_table_names())
        db.engine.dispose()
