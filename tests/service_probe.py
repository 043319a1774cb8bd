"""Would a service accept an action now? For tests that check a page shows a button exactly when the
service behind it would accept it (status buttons match the state machine)."""

from __future__ import annotations

from models import db
from services.errors import DomainError


def service_accepts(action) -> bool:
    """Call `action()` in a savepoint rolled back afterwards: True when it raised no DomainError."""
    nested = db.session.begin_nested()
    try:
        action()
        return True
    except DomainError:
        return False
    finally:
        nested.rollback()
