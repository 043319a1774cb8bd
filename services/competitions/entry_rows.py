"""The union's list of a competition's entries as plain rows (the registrations page): the entries of
registration.registrations_query, the same scope, filters and refusal (registration.narrowed_entries), read
as the columns the list shows rather than ORM entities, and the members of the page's team entries."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from models import Enterprise, User, db
from models.competitions import (
    REGISTRATION_STATUSES,
    Competition,
    CompetitionRegistration,
    CompetitionTeamMember,
    EntryNumber,
)
from services.common.rows import PlainRow
from services.competitions.entry_filters import entries_enterprises, entries_scope, entries_status_filter, entries_where
from services.competitions.registration import narrowed_entries


class EntryRow(PlainRow, EntryNumber):
    """One line of the list of entries as plain values (registration_rows_query): the entry's id,
    competitor number, team name, worker's (the captain's) name and employee number, enterprise's name,
    when it was made, status, when the union checked it and the reason of a refusal."""

    __slots__ = ("id", "competitor_no", "team_name", "worker_name", "employee_no", "enterprise_name",
                 "created_at", "status", "approved_at", "reason")

    @property
    def status_label(self):
        return REGISTRATION_STATUSES.get(self.status, self.status)


def registration_rows_query(actor, competition: Competition, *, status=None, enterprise_id=None, search=None):
    """The entries of registrations_query (the same scope, filters and refusal) as plain columns in the
    order of EntryRow, for the list page (a keyset page of EntryRows, then team_members of its teams). The
    names are subqueries, read for the page's rows only (the worker joined only for the people search,
    which filters on it): PostgreSQL plans the statement on each view, and joined it read every entry's
    worker and enterprise before sorting the entries for the page."""
    stmt = select(*_columns(bool(search)))
    if search:
        stmt = stmt.join(User, User.id == CompetitionRegistration.worker_id)
    return narrowed_entries(stmt, actor, competition, status, enterprise_id, search, user_joined=True)


_COMPETITION, _SCOPE, _STATUS = (bindparam(f"entries_{name}") for name in ("competition", "scope", "status"))
_ENTERPRISES = bindparam("entries_enterprises", expanding=True)


def _columns(search: bool) -> tuple:
    """EntryRow's columns: the names subqueries, or the joined worker's columns for the people search."""
    g = CompetitionRegistration
    enterprise = select(Enterprise.name).where(Enterprise.id == g.enterprise_id).scalar_subquery()
    if search:
        name, employee_no = User.name, User.employee_no
    else:
        name, employee_no = (select(column).where(User.id == g.worker_id).scalar_subquery()
                             for column in (User.name, User.employee_no))
    return (g.id, g.competitor_no, g.team_name, name, employee_no, enterprise, g.created_at, g.status,
            g.approved_at, g.reason)


def registration_rows_page(actor, competition: Competition, *, status=None, enterprise_id=None, search=None) -> dict:
    """blueprints.common.keyset_page's `stmt`, `kept` and `params` for a page of registration_rows_query's rows
    (the same arguments): without a search, a statement kept per kind of reader and filters, the competition,
    the scope's node, the enterprises and the status bind parameters; with one, registration_rows_query."""
    if search:
        return {"stmt": registration_rows_query(actor, competition, status=status, enterprise_id=enterprise_id,
                                                search=search)}
    scope = entries_scope(actor)
    ids = entries_enterprises(actor, enterprise_id)
    status_filter = entries_status_filter(status)
    shape = (scope.kind, ids is not None, status_filter)

    def build():
        return entries_where(select(*_columns(False)), scope.kind, _SCOPE, _COMPETITION,
                             _ENTERPRISES if ids is not None else None, status_filter, _STATUS)

    return {"stmt": build, "kept": ("competitions.registration_rows", *shape),
            "params": {_COMPETITION.key: competition.id, _SCOPE.key: scope.id, _ENTERPRISES.key: ids or [],
                       _STATUS.key: status}}


def team_members(entries) -> dict[int, list]:
    """Team entry id -> its members' (name, employee_no) rows in the order they were added, for the team
    entries among `entries` (objects with id and team_name): one query, none without a team entry."""
    teams = [entry.id for entry in entries if entry.team_name]
    if not teams:
        return {}
    members: dict[int, list] = {team: [] for team in teams}
    for row in db.session.execute(
            select(CompetitionTeamMember.registration_id, User.name, User.employee_no)
            .join(User, User.id == CompetitionTeamMember.worker_id)
            .where(CompetitionTeamMember.registration_id.in_(teams)).order_by(CompetitionTeamMember.id)):
        members[row.registration_id].append(row)
    return members
