"""Migration 0015: stored identifiers normalised the one way (a value whose normal form is taken
stays), and the form_token table."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app import MIGRATIONS_DIR, create_app
from models import db
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

BEFORE = "0008_mentoring_titles_speed"


def test_identifiers_are_normalised_and_collisions_kept(empty_database, tmp_path):  # noqa: F811 - the fixture
    url, engine_options = empty_database
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path),
                           "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
    with migrated.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            town_id = conn.execute(text("SELECT min(id) FROM town")).scalar()
            enterprise = db.metadata.tables["enterprise"]
            user = db.metadata.tables["user"]
            enterprise_id = conn.execute(enterprise.insert().values(
                name="旧企业", credit_code="９１３５００００１５８１４２７１１ｆ", town_id=town_id, industry="footwear",
                is_member=True, is_active=True)).inserted_primary_key[0]
            conn.execute(user.insert(), [
                {"name": "甲", "password_hash": "x", "enterprise_id": enterprise_id, "employee_no": "A 0008",
                 "phone": "１３８００００００１１", "is_active": True},
                {"name": "乙", "password_hash": "x", "enterprise_id": enterprise_id, "employee_no": "B0009",
                 "phone": "13800000012", "is_active": True},
                {"name": "丙", "password_hash": "x", "enterprise_id": enterprise_id, "employee_no": "B 0009",
                 "phone": "13800000013", "is_active": True}])
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            user = db.metadata.tables["user"]
            rows = dict(conn.execute(select(user.c.name, user.c.employee_no)).all())
            assert rows == {"甲": "A0008", "乙": "B0009", "丙": "B 0009"}  # 丙's normal form is 乙's: kept
            assert conn.execute(select(user.c.phone).where(user.c.name == "甲")).scalar() == "13800000011"
            code = conn.execute(text("SELECT credit_code FROM enterprise")).scalar()
            assert code == "91350000158142711F"
            assert "form_token" in inspect(conn).get_table_names()
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.connect() as conn:
            assert "form_token" not in inspect(conn).get_table_names()
        db.engine.dispose()
