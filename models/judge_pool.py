"""The city's judge pool (评委库) as a flag on the account, kept in the same flush as every change to it.

Rule (docs/domain.md, "Five Small proposals": the pool of judges): the city's pool is every active
account holding the judge role. `user.in_judge_pool` says so for each account, so that the pool is a
partial index of a few hundred entries (ix_user_judge_pool: name, id, enterprise_id) instead of one
lookup in 250,000 accounts per judge (the campaign's judges page sorted the city's 644 judges by name
through 644 lookups, ~5 ms a view at scale 1.0).

Kept: before every flush, each new account and each account whose `is_active` or roles (`role_rows`,
the only way roles change) changed gets the flag its state gives. Bulk loaders that bypass the ORM call
`refresh_judge_pool` afterwards, as they call models.counts.recount_accounts.
"""

from __future__ import annotations

from sqlalchemy import and_, event, exists, inspect
from sqlalchemy.orm import Session

from models.accounts import Role, User, UserRole


def belongs(user: User) -> bool:
    """Whether `user`, as it stands in the session, is in the pool: active (None before the default
    applies counts as active) and holding the judge role."""
    return user.is_active is not False and any(row.role == Role.JUDGE.value for row in user.role_rows)


@event.listens_for(Session, "before_flush")
def _keep_judge_pool(session, _flush_context, _instances) -> None:
    for user in (*session.new, *session.dirty):
        if not isinstance(user, User):
            continue
        state = inspect(user)
        if not (state.pending or state.attrs.is_active.history.has_changes()
                or state.attrs.role_rows.history.has_changes()):
            continue
        member = belongs(user)
        if user.in_judge_pool is not member:
            user.in_judge_pool = member


def pool_clause(users=User.__table__):
    """SQL: the account (`users`, the user table or an alias) belongs in the pool, from its roles."""
    return and_(users.c.is_active, exists().where(UserRole.__table__.c.user_id == users.c.id,
                                                   UserRole.__table__.c.role == Role.JUDGE.value))


def refresh_judge_pool(connection) -> int:
    """Set every account's flag from its roles and state (after bulk loads that bypass the ORM). Returns how
    many flags changed."""
    users = User.__table__
    return connection.execute(users.update().where(users.c.in_judge_pool.is_distinct_from(pool_clause()))
                              .values(in_judge_pool=pool_clause())).rowcount
