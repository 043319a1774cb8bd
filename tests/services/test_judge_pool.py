"""models.judge_pool: user.in_judge_pool is true exactly for the active accounts holding the judge role, at every
change through the services (roles granted and revoked, accounts deactivated and reactivated, created), and
refresh_judge_pool brings rows loaded without the ORM in line; the campaign's judges page lists the pool from it."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from models import Role, User, UserRole, db
from models.judge_pool import pool_clause, refresh_judge_pool
from services.accounts import people
from services.proposals import judge_pool
from tests.factories import JudgeFactory, WorkerFactory
from tests.factories_proposals import CampaignFactory


def _flags() -> dict[int, bool]:
    return dict(db.session.execute(select(User.id, User.in_judge_pool)).all())


def _from_roles() -> dict[int, bool]:
    users = User.__table__
    return dict(db.session.execute(select(users.c.id, pool_clause())).all())


def test_the_flag_follows_roles_and_activation(world):
    judge, worker = JudgeFactory(name="库内评委"), WorkerFactory(enterprise=world.enterprise_a)
    db.session.commit()
    assert (judge.in_judge_pool, worker.in_judge_pool) == (True, False)
    people.set_roles(world.admin, worker, {Role.WORKER, Role.JUDGE})
    people.set_active(world.admin, judge, False)
    db.session.commit()
    assert (judge.in_judge_pool, worker.in_judge_pool) == (False, True)
    people.set_active(world.admin, judge, True)
    people.set_roles(world.admin, worker, {Role.WORKER})
    db.session.commit()
    assert (judge.in_judge_pool, worker.in_judge_pool) == (True, False)
    assert _flags() == _from_roles()


def test_refresh_sets_the_flags_of_rows_loaded_without_the_orm(world):
    JudgeFactory()
    db.session.commit()
    first = db.session.scalar(select(db.func.max(User.id))) + 1
    db.session.execute(insert(User), [{"id": first, "name": "批量评委", "username": "bulk_judge", "password_hash": "x",
                                       "session_token": "bulk"}])
    db.session.execute(insert(UserRole), [{"user_id": first, "role": Role.JUDGE.value}])
    db.session.execute(update(User).where(User.id == world.judge.id).values(in_judge_pool=False))  # stale
    assert _flags() != _from_roles()
    assert refresh_judge_pool(db.session.connection()) == 2
    assert _flags() == _from_roles() and refresh_judge_pool(db.session.connection()) == 0


def test_the_city_pool_is_the_judges_and_the_panel(world):
    from models.proposals import CampaignJudge

    campaign = CampaignFactory()
    retired = JudgeFactory(name="停用评委")
    appointed = WorkerFactory(enterprise=world.enterprise_a, name="另行任命")
    db.session.add(CampaignJudge(campaign_id=campaign.id, user_id=appointed.id))
    db.session.add(CampaignJudge(campaign_id=campaign.id, user_id=world.judge.id))  # a judge on the panel too
    people.set_active(world.admin, retired, False)
    db.session.commit()
    page = judge_pool.judges_page(campaign, 1, 20)
    names = [row.name for row in page.items]
    assert sorted(names) == sorted([world.judge.name, appointed.name]) and page.total == 2
    assert names == sorted(names)  # by name (the database's collation, the same on both for these)


def test_sqlite_reads_the_pool_from_its_partial_index(world):
    """SQLite uses a partial index only when the query's condition is the index's own: the flag's test as
    SQLAlchemy writes it ("in_judge_pool = 1") must be the index's condition, or every account is scanned."""
    if db.engine.dialect.name != "sqlite":
        import pytest

        pytest.skip("SQLite's query planner")
    stmt = select(User.id, User.name, User.enterprise_id).where(User.in_judge_pool)
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = " ".join(str(row) for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_user_judge_pool" in plan, plan
