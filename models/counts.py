"""The home pages' counts of accounts, kept in the same transaction as every change they count.

Per view, neither home counts 250,000 accounts (docs/domain.md, "Scale the platform is built for"):
the union admin's figures (active accounts, in total and per role) and HR's (the active workers of
their enterprise per skill level) are rows of `account_count`, moved by a flush hook whenever an
account is created, (de)activated, given or stripped of roles, moves enterprise, changes skill level
or is deleted through the ORM. Bulk loaders that bypass the ORM call `recount_accounts` afterwards.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import db
from models.accounts import Role, User, UserRole

CITY = 0  # enterprise_id of the city-wide rows
ALL_ACCOUNTS = "all"
NO_LEVEL = "level:none"


def level_key(skill_level: int | None) -> str:
    """The key of an enterprise's workers at `skill_level` (None: not assessed)."""
    return NO_LEVEL if skill_level is None else f"level:{skill_level}"


class AccountCount(db.Model):
    """One count: city-wide (`enterprise_id` 0) "all" is every active account and a role's name
    ("worker", "judge", "hr", "admin") the active accounts holding it; for an enterprise,
    "level:<rank>" (or "level:none") its active workers at that skill level."""

    __tablename__ = "account_count"

    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


def _keys(active: bool, roles: list[str], enterprise_id: int | None, skill_level: int | None) -> list[tuple]:
    """The counts one account in this state adds to."""
    if not active:
        return []
    keys = [(CITY, ALL_ACCOUNTS)] + [(CITY, role) for role in roles]
    if enterprise_id and Role.WORKER.value in roles:
        keys.append((enterprise_id, level_key(skill_level)))
    return keys


def _before(state, name: str, now):
    history = state.attrs[name].history  # the columns keep their old value (active_history)
    return history.deleted[0] if history.deleted else now


def _account_delta(user: User, *, new: bool = False, deleted: bool = False) -> dict[tuple, int]:
    """How `user`'s pending change moves the counts: the keys it counted in before, and after."""
    state = inspect(user)
    active, enterprise_id, skill_level = user.is_active is not False, user.enterprise_id, user.skill_level
    was_active = _before(state, "is_active", active) is not False  # None before the default applies: active
    was_enterprise_id = _before(state, "enterprise_id", enterprise_id)
    was_skill_level = _before(state, "skill_level", skill_level)
    roles = state.attrs.role_rows.history
    if roles.added or roles.deleted:
        roles_before = [row.role for row in (*roles.unchanged, *roles.deleted)]
        roles_after = [row.role for row in (*roles.unchanged, *roles.added)]
    elif new or deleted or (was_active, was_enterprise_id, was_skill_level) != (active, enterprise_id, skill_level):
        roles_before = roles_after = [row.role for row in user.role_rows]
    else:
        return {}
    delta: dict[tuple, int] = {}
    if not new:
        for key in _keys(was_active, roles_before, was_enterprise_id, was_skill_level):
            delta[key] = delta.get(key, 0) - 1
    if not deleted:
        for key in _keys(active, roles_after, enterprise_id, skill_level):
            delta[key] = delta.get(key, 0) + 1
    return delta


@event.listens_for(Session, "after_flush")
def _count_account_changes(session, _flush_context) -> None:
    """Move `account_count` by the accounts this flush created, changed or deleted, with increments
    in the flush's own transaction (rows made on first use)."""
    delta: dict[tuple, int] = {}
    for objects, flags in ((session.new, {"new": True}), (session.dirty, {}), (session.deleted, {"deleted": True})):
        for user in objects:
            if isinstance(user, User):
                for key, n in _account_delta(user, **flags).items():
                    delta[key] = delta.get(key, 0) + n
    table = AccountCount.__table__
    connection = session.connection()
    for (enterprise_id, key), n in sorted(delta.items()):  # one order for every transaction: no deadlock
        if not n:
            continue
        row = (table.c.enterprise_id == enterprise_id) & (table.c.key == key)
        if connection.execute(table.update().where(row).values(n=table.c.n + n)).rowcount == 0:
            connection.execute(table.insert().values(enterprise_id=enterprise_id, key=key, n=n))


def recount_accounts(connection) -> None:
    """Rebuild `account_count` from the accounts (after bulk loads that bypass the ORM)."""
    table, users, roles = AccountCount.__table__, User.__table__, UserRole.__table__
    count = db.func.count()
    joined = roles.join(users, users.c.id == roles.c.user_id)
    connection.execute(table.delete())
    rows = [{"enterprise_id": CITY, "key": ALL_ACCOUNTS,
             "n": connection.execute(db.select(count).select_from(users).where(users.c.is_active)).scalar_one()}]
    rows += [{"enterprise_id": CITY, "key": role, "n": n} for role, n in connection.execute(
        db.select(roles.c.role, count).select_from(joined).where(users.c.is_active).group_by(roles.c.role))]
    rows += [{"enterprise_id": enterprise_id, "key": level_key(skill_level), "n": n}
             for enterprise_id, skill_level, n in connection.execute(
                 db.select(users.c.enterprise_id, users.c.skill_level, count).select_from(joined)
                 .where(users.c.is_active, users.c.enterprise_id.is_not(None), roles.c.role == Role.WORKER.value)
                 .group_by(users.c.enterprise_id, users.c.skill_level))]
    connection.execute(table.insert(), rows)
