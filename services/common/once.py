"""Double clicks and two tabs never create two records: one-time form tokens.

Rule (issue 12, item 10): every create form (proposals, mentor pairs, nominations, competition
entries, enterprises, accounts, objections) carries a random token (`new_token`, a hidden field). The
request that uses it records it (`claim`, models.once.FormToken, primary key) in the same transaction
as what it creates, and `settle` notes what that was. A second use of the same token, sequential or
concurrent, raises FormReplayed before anything is written; it names the first use's object when
known, so the view can answer by showing it instead of an error. Forms sent without a token (the JSON
API, old tests) are not checked here; the objects' own uniqueness rules still apply.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from core import clock
from models import db
from models.once import FormToken
from services.jobs.scheduler import periodic

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_DAYS = 7


class FormReplayed(Exception):  # noqa: N818 - not an error of the user's: the form was already used
    """The form's token was used before: `kind` and `object_id` name what that use created (None
    while the first use is still running or created nothing)."""

    def __init__(self, token: str, kind: str | None = None, object_id: int | None = None):
        super().__init__(token)
        self.token, self.kind, self.object_id = token, kind, object_id


def new_token() -> str:
    """A fresh random token for a form's hidden field."""
    return secrets.token_urlsafe(24)


def claim(token: str | None, user_id: int | None) -> FormToken | None:
    """Record the use of `token` (None for a form without one, or a malformed one: nothing to check).
    Raises FormReplayed when it was used before, also by a request running at the same moment (the
    primary key decides; the session is rolled back then). Call before writing anything else; flushes."""
    if not token or not _TOKEN.match(token):
        return None
    used = db.session.get(FormToken, token)
    if used is not None:
        raise FormReplayed(token, used.kind, used.object_id)
    row = FormToken(token=token, user_id=user_id)
    db.session.add(row)
    try:
        # No savepoint: on SQLite (pysqlite) a SAVEPOINT opened before any write is the outermost
        # transaction, and releasing it commits the token even when the request is then refused.
        # Nothing else is written before the claim, so the caller's rollback undoes it all.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise FormReplayed(token) from None
    return row


def settle(row: FormToken | None, created) -> None:
    """Note on the claimed token what the request created (an object with an id, or nothing)."""
    if row is None or getattr(created, "id", None) is None:
        return
    row.kind = getattr(created, "__tablename__", None)
    row.object_id = created.id
    db.session.flush()


def first_use(token: str, wait_seconds: float = 3.0) -> FormReplayed:
    """After a concurrent replay was rolled back: what the first use created, read again until it is
    known (the first use may still be finishing its request) or `wait_seconds` have passed."""
    deadline = time.monotonic() + wait_seconds
    while True:
        db.session.rollback()  # a fresh snapshot each time
        used = db.session.get(FormToken, token)
        if (used is not None and used.kind is not None) or time.monotonic() >= deadline:
            return FormReplayed(token, used.kind if used else None, used.object_id if used else None)
        time.sleep(0.1)


@periodic("once.forget_old_tokens", timedelta(hours=6))
def forget_old_tokens(now=None) -> str:
    """Delete tokens used more than KEEP_DAYS ago (a form is not resent after a week)."""
    cutoff = (now or clock.now()) - timedelta(days=KEEP_DAYS)
    result = db.session.execute(delete(FormToken).where(FormToken.used_at < cutoff))
    return f"{result.rowcount or 0} old form tokens deleted"
