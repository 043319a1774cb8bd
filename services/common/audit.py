"""Audit records: who did what to which object, when, and from which IP.

The web layer tells this module the client IP of the current request (`set_client_ip`), so
services can record without knowing about HTTP.
"""

from __future__ import annotations

from contextvars import ContextVar

from models import AuditLog, db

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def set_client_ip(ip: str | None) -> None:
    _client_ip.set(ip)


def record(action: str, actor=None, obj=None, enterprise_id: int | None = None, **detail):
    """Add one audit row for `action` by `actor` on `obj` (flushed with the request's commit)."""
    if enterprise_id is None and obj is not None:
        enterprise_id = getattr(obj, "enterprise_id", None)
    entry = AuditLog(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        enterprise_id=enterprise_id,
        ip=_client_ip.get(),
        detail=_jsonable(detail),
    )
    db.session.add(entry)
    return entry


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def entries_query(actor_is_admin: bool = True, action: str | None = None):
    """Newest first, optionally one action; for the admin's audit page."""
    stmt = db.select(AuditLog).order_by(AuditLog.id.desc())
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return stmt.options(db.joinedload(AuditLog.actor))
