"""The people and enterprise searches are index lookups on both databases (services.accounts.search):
the query plan of each kind of search uses the index made for it, never a scan of the table.

PostgreSQL prefers a sequential scan on a nearly empty table, so its test turns sequential scans off
(SET LOCAL enable_seqscan = off) to check that the index is usable at all; SQLite's EXPLAIN QUERY
PLAN names the index it searches with.
"""

import json

import pytest
from sqlalchemy import text

from models import Enterprise, User, db
from services.accounts import search
from tests.factories import EnterpriseFactory, WorkerFactory

CASES = {  # query -> (table, PostgreSQL indexes, SQLite indexes) any of which proves the lookup
    "王伟": ("user", {"ix_user_name_prefix"}, {"ix_user_name"}),
    "G0012": ("user", {"ix_user_employee_no_prefix"}, {"ix_user_employee_no"}),
    "5678": ("user", {"ix_user_phone_tail"}, {"ix_user_phone_tail"}),
    "45678": ("user", {"ix_user_phone_tail"}, {"ix_user_phone_tail"}),
}
ENTERPRISE_CASES = {
    "恒信": ({"ix_enterprise_name_prefix"}, {"ix_enterprise_name"}),
    "91350582": ({"ix_enterprise_credit_code_prefix", "ix_enterprise_name_prefix"},
                 {"uq_enterprise_credit_code", "ix_enterprise_name", "sqlite_autoindex_enterprise_1"}),
}


@pytest.fixture
def people(world):
    WorkerFactory.create_batch(5, enterprise=world.enterprise_a)
    WorkerFactory(enterprise=world.enterprise_a, name="王伟", employee_no="G0012", phone="13912345678")
    EnterpriseFactory(name="晋江市恒信鞋业有限公司")


def _sql(stmt) -> str:
    return str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def _postgresql_plan(stmt) -> list[dict]:
    """Every node of the plan of `stmt`, with sequential scans off for this transaction."""
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(text(f"EXPLAIN (FORMAT JSON) {_sql(stmt)}")).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    db.session.rollback()
    return nodes


def _assert_index_lookup(stmt, table: str, postgresql_indexes: set, sqlite_indexes: set) -> None:
    if db.engine.dialect.name == "postgresql":
        nodes = _postgresql_plan(stmt)
        used = {node.get("Index Name") for node in nodes
                if node["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Index Scan")}
        assert used & postgresql_indexes, nodes
        assert not [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table], nodes
    else:
        rows = [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {_sql(stmt)}"))]
        assert any("USING INDEX" in row or "USING COVERING INDEX" in row for row in rows), rows
        assert any(name in row for row in rows for name in sqlite_indexes), rows
        assert not any(row.startswith(f"SCAN {table}") for row in rows), rows


@pytest.mark.parametrize("q", list(CASES))
def test_people_search_is_an_index_lookup(people, q):
    table, postgresql_indexes, sqlite_indexes = CASES[q]
    stmt = search.add_people_search(db.select(User.id), q)
    assert db.session.scalars(stmt).all()  # it finds the person, too
    _assert_index_lookup(stmt, table, postgresql_indexes, sqlite_indexes)


@pytest.mark.parametrize("q", list(ENTERPRISE_CASES))
def test_enterprise_search_is_an_index_lookup(people, q):
    postgresql_indexes, sqlite_indexes = ENTERPRISE_CASES[q]
    stmt = search.add_enterprise_search(db.select(Enterprise.id), q)
    _assert_index_lookup(stmt, "enterprise", postgresql_indexes, sqlite_indexes)


@pytest.mark.parametrize("identifier", ["Worker_A", "13912345678"])
def test_login_is_an_index_lookup(people, identifier):
    from services.accounts.authentication import login_statement

    WorkerFactory(enterprise=None, username="worker_a", phone="13912340000")
    stmt = login_statement(identifier)
    assert db.session.scalars(stmt).all()
    _assert_index_lookup(stmt, "user", {"uq_user_username_lower", "uq_user_phone"},
                         {"uq_user_username_lower", "sqlite_autoindex_user_2", "sqlite_autoindex_user_3"})


def test_a_username_is_unique_in_any_case_in_the_database(world):
    from sqlalchemy.exc import IntegrityError

    WorkerFactory(enterprise=world.enterprise_a, username="wang_wei")
    with pytest.raises(IntegrityError):
        WorkerFactory(enterprise=world.enterprise_a, username="Wang_Wei")
    db.session.rollback()
