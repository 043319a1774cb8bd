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

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Text, and_, bindparam, cast, func, select

from core.statements import shared_statement
from models import Enterprise, PublicNotice, Trade, User, db
from models.titles import ROUND_STATUS_LABELS, TITLE_NOTICE_SUBJECT, Nomination, TitleRound, TitleType
from models.vocabulary import TITLE_LABELS, reference_label
from services import policy
from services.common.rows import PlainRow
from services.titles.nominations import NOMINATION_ORDER
from services.titles.rounds import found_round

ROUND = bindparam("round_page_round")
SCOPE = bindparam("round_page_scope")
LIMIT, OFFSET = bindparam("round_page_limit"), bindparam("round_page_offset")


class NoticeEnd(PlainRow):
    """A round's public notice as its page shows it: its id, end and whether that end is provisional."""

    __slots__ = ("id", "ends_at", "provisional")


class RoundFacts(PlainRow):
    """A round as its page reads it (the columns of TitleRound the page and rounds.accepts_nominations use),
    its title's name and its notice (a NoticeEnd, None before it is published)."""

    __slots__ = ("id", "title_type_id", "year", "deadline", "quota", "awarded_count", "status", "title_name",
                 "notice")

    @property
    def status_label(self):
        return ROUND_STATUS_LABELS.get(self.status, self.status)

    @property
    def title_label(self):
        """The title's name in the reader's language (TitleType.label)."""
        return reference_label(TITLE_LABELS, self.title_name)


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


class CardsPagination(Pagination):
    """A page of a round's nominations (_cards_statement) with their total from the same statement; only a
    page past the end (no rows) counts apart."""

    def _run(self, counted: bool):
        args = self._query_args
        kind, sort = args["scope"].kind, args["sort"]
        stmt = shared_statement(("titles.round_page.cards", kind, sort, counted),
                                lambda: _cards_statement(kind, sort, counted))
        return db.session.flush() or db.session.connection().execute(stmt, {
            ROUND.key: args["round_id"], SCOPE.key: args["scope"].id, LIMIT.key: self.per_page,
            OFFSET.key: self._query_offset})

    def _query_items(self) -> list:
        rows = self._run(False).all()
        self._window_total = rows[0][-1] if rows else None
        return rows

    def _query_count(self) -> int:
        return self._run(True).scalar() if self._window_total is None else self._window_total


def round_cards(actor, round_id: int, sort: str, page: int, per_page: int) -> CardsPagination:
    """Page `page` (of `per_page`) of the round's nominations the actor may see (the scope and orders of
    nominations.nominations_query; `sort` as there, evidence for any other), plain rows (see
    _cards_statement) with their total."""
    return CardsPagination(page=page, per_page=per_page, max_per_page=None, error_out=False, round_id=round_id,
                           scope=policy.management_scope(actor), sort=_sort_key(sort))

