"""What skills competitions put on people's to-do lists (services.messages.todos): a judge's entries to
score, with the nearest competition day; a worker's promotions from the waitlist and certificates
ready; the union's entries to confirm, per competition. Each is one indexed count query; each links
to the filtered list.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, exists, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Role
from models.competition_tallies import EntryTally
from models.competitions import (
    CONFIRMED,
    OPEN,
    SCORING,
    Competition,
    CompetitionCertificate,
    CompetitionPracticalMark,
    CompetitionRegistration,
)
from services.competitions.policy import markable_by, own_entry_condition
from services.messages.inbox import link_to
from services.messages.todos import (
    PERSON,
    TODAY,
    Listing,
    StandIn,
    Tally,
    Todo,
    city_counter,
    person_params,
    todo_provider,
)

# How long a new certificate or a promotion from the waitlist stays on the worker's list.
FRESH_DAYS = 30
UNAPPROVED = "unapproved"  # registrations_query's status filter: confirmed, not yet checked by the union


@todo_provider("competitions.judge")
def judge_todos(person) -> list[Tally]:
    """Judges: entries they may mark in competitions being scored and have not marked yet, with the
    nearest competition day (practical marks are due on it: urgent from that day on)."""
    if not person.has_role(Role.JUDGE):
        return []
    has_enterprise = person.enterprise_id is not None

    def build():
        marked = exists().where(CompetitionPracticalMark.registration_id == CompetitionRegistration.id,
                                CompetitionPracticalMark.judge_id == PERSON)
        return (select(func.count(CompetitionRegistration.id), func.min(Competition.held_on))
                .join(Competition, Competition.id == CompetitionRegistration.competition_id)
                .where(Competition.status == SCORING, *markable_by(StandIn.of(has_enterprise)), ~marked))

    def make(count, day) -> list[Todo]:
        return [Todo(_l("待评分的竞赛选手"), count or 0, link_to("competitions.judging"), deadline=day,
                     urgent=day is not None and day <= clock.today())]

    return [Tally(("competitions.judge", has_enterprise), build, person_params(person), make)]


@todo_provider("competitions.worker")
def worker_todos(person) -> list[Tally]:
    """Workers: entries promoted from the waitlist for a competition still to come; certificates issued
    in the last FRESH_DAYS days."""
    if not person.has_role(Role.WORKER):
        return []
    since = bindparam("competition_fresh_since")

    def build():
        promoted = (select(func.count(CompetitionRegistration.id))
                    .join(Competition, Competition.id == CompetitionRegistration.competition_id)
                    .where(own_entry_condition(StandIn.of(False)), CompetitionRegistration.status == CONFIRMED,
                           CompetitionRegistration.promoted_at >= since, Competition.held_on >= TODAY))
        ready = select(func.count(CompetitionCertificate.id)).where(
            CompetitionCertificate.worker_id == PERSON, CompetitionCertificate.revoked_at.is_(None),
            CompetitionCertificate.issued_at >= since)
        return select(promoted.scalar_subquery(), ready.scalar_subquery())

    def make(promoted, ready) -> list[Todo]:
        mine = link_to("competitions.mine")
        return [Todo(_l("已从候补转为正式参赛"), promoted or 0, mine), Todo(_l("可下载的竞赛证书"), ready or 0, mine)]

    return [Tally(("competitions.worker",), build,
                  person_params(person, competition_fresh_since=clock.now() - timedelta(days=FRESH_DAYS)), make)]


@city_counter("competitions.unapproved")
def unapproved_todos() -> list[Listing]:
    """The union: confirmed entries of open or scoring competitions not yet checked, per competition
    (one query over the stored tallies of the few competitions running, models.competition_tallies: a
    Listing)."""
    return [Listing(("competitions.unapproved",), lambda: (
        select(Competition.id, Competition.name, EntryTally.unchecked)
        .join(EntryTally, EntryTally.competition_id == Competition.id)
        .where(Competition.status.in_((OPEN, SCORING)), EntryTally.status == CONFIRMED, EntryTally.unchecked > 0)),
        {}, lambda rows: [Todo(_l("“%(name)s”待审核的报名", name=name), count,
                               link_to("competitions.registrations", competition_id=cid, status=UNAPPROVED))
                          for cid, name, count in rows])]
