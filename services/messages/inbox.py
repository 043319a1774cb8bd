"""The message centre: messages to people about events they wait on (docs/domain.md, "Rules shared by
every part").

Rules:
- A message belongs to its recipient only: nobody else can open or mark it (404).
- A message is stored as source text with arguments and translated into the reader's language when
  shown; its link names an endpoint and values, built into a URL when shown.
- Every message also goes out on the personal channels the person has not turned off and the
  administrator has configured (services.messages.delivery), after the request commits.
- A message asking for an action is marked read when the action is done (`settle`). Unread messages
  are not to-dos: the home page's to-do list (services.messages.todos) counts what waits to be done,
  the navigation's badge and the home page's own line count unread messages.
- Pages are keyset pages, newest first by the time the message was made (the id breaks ties, so the
  order is stable), "older" from the last (time, id) seen: no count of all messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.messages import Message
from services.common.i18n import Deferred
from services.errors import NotFound
from services.messages import delivery

PAGE_SIZE = 20


def link_to(endpoint: str, **values) -> dict:
    """A message's link: the endpoint and its values (built into a URL when the message is shown)."""
    return {"endpoint": endpoint, "values": values}


def notify(recipients: Iterable, kind: str, subject: Deferred, *, body: Deferred | None = None,
           link: dict | None = None) -> list[Message]:
    """Put a message in each recipient's message centre and queue its outbound sends.

    `recipients`: users or user ids (None and duplicates are skipped); `kind`: the event's name (e.g.
    "proposal.returned"); `subject`/`body`: deferred texts; `link`: from `link_to`. Deactivated accounts
    get the message (they may be reactivated) but nothing is sent outbound.
    """
    ids = sorted({r.id if isinstance(r, User) else r for r in recipients if r is not None})
    return notify_each([Note(user_id, kind, subject, body, link) for user_id in ids])


@dataclass(frozen=True)
class Note:
    """One message to one person, for `notify_each` (each person's own text, e.g. their rank)."""

    recipient_id: int
    kind: str
    subject: Deferred
    body: Deferred | None = None
    link: dict | None = None


def notify_each(notes: Iterable[Note]) -> list[Message]:
    """Like `notify`, one message per note, for many people at once: one query for the recipients,
    one flush, and the channel configuration looked up once (results to thousands of entrants)."""
    notes = [n for n in notes if n.recipient_id is not None]
    if not notes:
        return []
    ids = {n.recipient_id for n in notes}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    messages = []
    for note in notes:
        message = Message(recipient_id=note.recipient_id, kind=note.kind, subject=note.subject.as_json(),
                          body=note.body.as_json() if note.body else None, link=note.link)
        db.session.add(message)
        messages.append((message, note))
    db.session.flush()
    configs = delivery.personal_channels()
    if configs != (None, None):
        for message, note in messages:
            user = users.get(message.recipient_id)
            if user is not None and user.is_active:
                delivery.queue_personal(user, message, note.subject, note.body, configs)
    return [message for message, _note in messages]


def unread_count(user) -> int:
    """How many of `user`'s messages are unread (one indexed count)."""
    return db.session.scalar(select(unread_count_of(user.id))) or 0


def unread_count_of(person_id):
    """The count of unread messages of `person_id` (a value or a column, e.g. User.id) as a scalar
    subquery: the session's user is loaded with it (User.unread_at_load), so the navigation's badge costs
    no statement of its own."""
    return (select(func.count(Message.id)).where(Message.recipient_id == person_id, Message.read_at.is_(None))
            .scalar_subquery())


def page(user, *, before_id: int | None = None, unread_only: bool = False) -> tuple[list[Message], int | None]:
    """One page of `user`'s messages, newest first (by `created_at`, then by id: a stable order even
    for messages made in the same instant or made later with an earlier time), after the message
    `before_id` of the previous page; and the id to continue from (None on the last page). One index
    range on (recipient, created_at, id); an unknown or foreign `before_id` starts from the top."""
    stmt = select(Message).where(Message.recipient_id == user.id)
    if before_id:
        cursor = db.session.execute(select(Message.created_at, Message.id)
                                    .where(Message.id == before_id, Message.recipient_id == user.id)).first()
        if cursor is not None:
            stmt = stmt.where(or_(Message.created_at < cursor.created_at,
                                  and_(Message.created_at == cursor.created_at, Message.id < cursor.id)))
    if unread_only:
        stmt = stmt.where(Message.read_at.is_(None))
    rows = list(db.session.scalars(stmt.order_by(Message.created_at.desc(), Message.id.desc())
                                   .limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].id if more else None)


def get_message(user, message_id: int) -> Message:
    """`user`'s own message; NotFound for anyone else's."""
    message = db.session.get(Message, message_id)
    if message is None or message.recipient_id != user.id:
        raise NotFound(_l("找不到这条消息。"))
    return message


def open_message(user, message_id: int) -> Message:
    """Mark one of `user`'s messages read (it is being opened) and return it."""
    message = get_message(user, message_id)
    if message.read_at is None:
        message.read_at = clock.now()
    return message


def mark_all_read(user) -> int:
    """Mark every unread message of `user` read; returns how many."""
    return db.session.execute(update(Message).where(Message.recipient_id == user.id, Message.read_at.is_(None))
                              .values(read_at=clock.now())).rowcount


def subject_of(message: Message) -> Deferred:
    return Deferred.from_json(message.subject)


def body_of(message: Message) -> Deferred | None:
    return Deferred.from_json(message.body)


def settle(user, kind: str, link: dict) -> int:
    """A message that asked `user` for an action (e.g. "please confirm the agreement") is read once the
    action is done: mark `user`'s unread messages of `kind` leading to `link` read. Returns how many.
    (Few rows: one person's unread messages of one kind; the link is compared as stored.)"""
    user_id = user.id if isinstance(user, User) else user
    rows = db.session.execute(select(Message.id, Message.link).where(
        Message.recipient_id == user_id, Message.kind == kind, Message.read_at.is_(None))).all()
    ids = [row.id for row in rows if (row.link or {}).get("endpoint") == link["endpoint"]
           and (row.link.get("values") or {}) == (link.get("values") or {})]
    if ids:
        db.session.execute(update(Message).where(Message.id.in_(ids)).values(read_at=clock.now())
                           .execution_options(synchronize_session=False))
    return len(ids)


def relink(recipients: Iterable, kind: str, old: dict, new: dict) -> int:
    """Messages of `kind` to `recipients` leading to `old` lead to `new` from now on, e.g. when what they
    pointed at was removed (a withdrawn recommendation's entry). Returns how many. (Few rows: these
    people's messages of one kind; the link is compared as stored.)"""
    ids = [user.id if isinstance(user, User) else user for user in recipients]
    rows = db.session.execute(select(Message.id, Message.link).where(
        Message.recipient_id.in_(ids), Message.kind == kind)).all() if ids else []
    moved = [row.id for row in rows if (row.link or {}).get("endpoint") == old["endpoint"]
             and (row.link.get("values") or {}) == (old.get("values") or {})]
    if moved:
        db.session.execute(update(Message).where(Message.id.in_(moved)).values(link=new)
                           .execution_options(synchronize_session=False))
    return len(moved)
