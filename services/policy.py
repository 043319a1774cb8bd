"""Authorisation in one place: who may see or change what.

Role checks for whole views live in blueprints.access (`roles_required`); the per-object rules are
here, used by services (which raise NotFound/NotAllowed), by views and by templates (to show or hide
buttons). Enterprise scoping is applied inside queries (`scope_people`), never by filtering rows
in Python. Objects of another enterprise are answered with 404, not 403.
"""

from __future__ import annotations

from sqlalchemy import false

from models import Role, User


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.ADMIN))


def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.HR) and user.enterprise_id)


def scope_people(stmt, actor):
    """Restrict a select over User to the people `actor` may see in management lists."""
    if is_admin(actor):
        return stmt
    if is_hr(actor):
        return stmt.where(User.enterprise_id == actor.enterprise_id)
    return stmt.where(false())


def can_view_worker(actor, worker: User) -> bool:
    """Admins see everyone; HR sees people of their enterprise; everyone sees themself."""
    if actor.id == worker.id or is_admin(actor):
        return True
    return is_hr(actor) and worker.enterprise_id == actor.enterprise_id


def can_manage_worker(actor, worker: User) -> bool:
    """HR edits people of their own enterprise, except union administrators; admins edit all."""
    if is_admin(actor):
        return True
    return (
        is_hr(actor)
        and worker.enterprise_id == actor.enterprise_id
        and not worker.has_role(Role.ADMIN)
    )


def can_manage_enterprises(actor) -> bool:
    return is_admin(actor)
