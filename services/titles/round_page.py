"""What a title round's page reads, as plain rows from kept statements (core.statements.shared_statement):
the round with its title's name and its notice's end (one statement), a page of its nominations with their
total (one statement per kind of reader and order); the admin's list of awards is services.titles.awards
round_award_rows.

Why: the page read the round as ORM entities and built its nominations' and awards' statements on every
view; here each statement is built once per process and run on the session's connection with its values
as bind parameters (no ORM result processing). The nominations' evidence snapshot is read as its stored
JSON text: the page shows each snapshot through a summary kept per text (blueprints.titles.round_page).
"""

from __future__ import annotations

from sqlalchemy import Text, and_, bindparam, cast, func, select

from core.statements import shared_statement
from models import Enterprise, PublicNotice, Trade, User, db
from models.titles import TITLE_NOTICE_SUBJECT, Nomination, TitleRound, TitleType
from services import policy
from services.common.rows import LIMIT, OFFSET, KeptRowsPagination, PlainRow, kept_rows_page
from services.titles.nominations import NOMINATION_ORDER
from services.titles.rounds import RoundLabels, found_round

ROUND = bindparam("round_page_round")
SCOPE = bindparam("round_page_scope")


class NoticeEnd(PlainRow):
    """A round's public notice as its page shows it: its id, end and whether that end is provisional."""

    __slots__ = ("id", "ends_at", "provisional")


class RoundFacts(RoundLabels, PlainRow):
    """A round as its page reads it (the columns of TitleRound the page and rounds.accepts_nominations use),
    its title's name and its notice (a NoticeEnd, None before it is published); its labels as TitleRound's."""

    __slots__ = ("id", "title_type_id", "year", "deadline", "quota", "awarded_count", "status", "title_name",
                 "notice")


def _facts_statement():
    notice = PublicNotice
    return (select(TitleRound.id, TitleRound.title_type_id, TitleRound.year, TitleRound.deadline, TitleRound.quota,
                   TitleRound.awarded_count, TitleRound.status, TitleType.name, notice.id, notice.ends_at,
                   notice.provisional)
            .join(TitleType, TitleType.id == TitleRound.title_type_id)
            .outerjoin(notice, and_(notice.subject_type == TITLE_NOTICE_SUBJECT, notice.subject_id == TitleRound.id))
            .where(TitleRound.id == ROUND))


def round_facts(round_id: int) -> RoundFacts:
    """The round with this id as its page reads it (RoundFacts); NotFound (404) otherwise."""
    stmt = shared_statement(("titles.round_page.facts",), _facts_statement)
    row = db.session.flush() or db.session.connection().execute(stmt, {ROUND.key: round_id}).first()
    return found_round(row and RoundFacts(*row[:8], NoticeEnd(*row[8:]) if row[8] is not None else None))


def _sort_key(sort: str) -> str:
    return sort if sort in NOMINATION_ORDER else "evidence"


def _cards_statement(kind: str, sort: str, counted: bool):
    """The round's nominations a reader whose management scope is of `kind` sees (services.policy
    scope_condition_of, at the nomination's date), in the order `sort`: id, status, citation, review_note,
    the evidence as its stored JSON text, worker_name, enterprise_name, trade_name and window_total, a page
    of them (LIMIT/OFFSET); with `counted`, their number alone."""
    condition = policy.scope_condition_of(kind, SCOPE, Nomination.enterprise_id, at=Nomination.created_at)
    if counted:
        return select(func.count(Nomination.id)).where(Nomination.round_id == ROUND, condition)
    return (select(Nomination.id, Nomination.status, Nomination.citation, Nomination.review_note,
                   cast(Nomination.evidence, Text), User.name, Enterprise.name, Trade.name,
                   func.count().over().label("window_total"))
            .outerjoin(User, User.id == Nomination.worker_id).outerjoin(Trade, Trade.id == User.trade_id)
            .outerjoin(Enterprise, Enterprise.id == Nomination.enterprise_id)
            .where(Nomination.round_id == ROUND, condition)
            .order_by(*NOMINATION_ORDER[sort]).limit(LIMIT).offset(OFFSET))


def round_cards(actor, round_id: int, sort: str, page: int, per_page: int) -> KeptRowsPagination:
    """Page `page` (of `per_page`) of the round's nominations the actor may see (the scope and orders of
    nominations.nominations_query; `sort` as there, evidence for any other), plain rows (see
    _cards_statement) with their total."""
    scope, sort = policy.management_scope(actor), _sort_key(sort)
    return kept_rows_page(("titles.round_page.cards", scope.kind, sort),
                          lambda counted: _cards_statement(scope.kind, sort, counted),
                          {ROUND.key: round_id, SCOPE.key: scope.id}, page, per_page)

