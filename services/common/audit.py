"""Audit records: who did what to which object, when, and from which IP (docs/domain.md, "Rules
shared by every part": audit).

The web layer tells this module the client IP of the current request (`set_client_ip`), so
services can record without knowing about HTTP.

The admin's log (1.5 million rows a year at the city's scale) is read newest first by keyset on the
id (`entries_query`, paged by blueprints.common.keyset_page), never counted: each filter (actor,
action, object) has an index ending in `id`, and a date range becomes a range of ids through the
index on `at` (models.audit).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from core import clock
from models import AuditLog, User, db

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


def record_many(action: str, objects, actor=None, **detail) -> None:
    """One audit row for `action` by `actor` on each of `objects` (the same detail), sent as one statement
    (a batch of thousands costs one round trip)."""
    at, actor_id, ip, detail = clock.now(), getattr(actor, "id", None), _client_ip.get(), _jsonable(detail)
    rows = [{"at": at, "action": action, "actor_id": actor_id, "object_type": obj.__tablename__, "object_id": obj.id,
             "enterprise_id": getattr(obj, "enterprise_id", None), "ip": ip, "detail": detail} for obj in objects]
    if rows:
        db.session.execute(db.insert(AuditLog), rows)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass
class AuditFilter:
    """What the admin's log is narrowed to: actors (the ids a person picker's text matched: an empty
    list matches nothing), an action code, an object (type and, optionally, id) and a date range in
    Asia/Shanghai days, both ends included."""

    actor_ids: list[int] | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI)


def _first_id_at_or_after(moment: datetime) -> int | None:
    """The id of the earliest entry at or after `moment` (one probe of the index on `at`)."""
    return db.session.scalar(db.select(AuditLog.id).where(AuditLog.at >= moment).order_by(AuditLog.at).limit(1))


def entries_query(filters: AuditFilter | None = None):
    """Select of the log's entries matching `filters` as plain rows (id, at, action, object_type,
    object_id, ip, detail and the actor's name, `actor_name`, None without an actor), for a keyset page
    by id descending. A date
    range is also turned into a range of ids (ids grow with time), so a filtered page stays one
    index range whatever the filters combined."""
    filters = filters or AuditFilter()
    actor_name = db.select(User.name).where(User.id == AuditLog.actor_id).scalar_subquery()
    stmt = db.select(AuditLog.id, AuditLog.at, AuditLog.action, AuditLog.object_type, AuditLog.object_id,
                     AuditLog.ip, AuditLog.detail, actor_name.label("actor_name"))
    if filters.actor_ids is not None:
        stmt = stmt.where(AuditLog.actor_id.in_(filters.actor_ids))
    if filters.action:
        stmt = stmt.where(AuditLog.action == filters.action)
    if filters.object_type:
        stmt = stmt.where(AuditLog.object_type == filters.object_type)
        if filters.object_id is not None:
            stmt = stmt.where(AuditLog.object_id == filters.object_id)
    if filters.date_from:
        start = _day_start(filters.date_from)
        first = _first_id_at_or_after(start)
        stmt = stmt.where(AuditLog.at >= start, AuditLog.id >= first) if first else stmt.where(db.false())
    if filters.date_to:
        end = _day_start(filters.date_to + timedelta(days=1))
        beyond = _first_id_at_or_after(end)
        stmt = stmt.where(AuditLog.at < end)
        if beyond:
            stmt = stmt.where(AuditLog.id < beyond)
    return stmt.order_by(AuditLog.id.desc())


@cache
def object_types() -> tuple[str, ...]:
    """The kinds of object the log names (table names), for the object filter: the mapped tables, fixed once
    the models are imported, so worked out once per process. Plain strs: a Table's name is SQLAlchemy's
    quoted_name, which the template's escaping would ask for __html__ through its __getattr__."""
    return tuple(sorted(str(mapper.local_table.name) for mapper in db.Model.registry.mappers
                  if getattr(mapper.local_table, "name", None)))
