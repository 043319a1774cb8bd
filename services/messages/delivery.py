"""Outbound sends: e-mail and SMS for people, WeCom robots for officers' digests; retries with backoff.

Rules:
- A message goes out on a personal channel when the administrator configured and enabled it, the
  person has an address for it, and the person has not turned it off (e-mail is on by default once an
  address is given; SMS is off until the person turns it on, as texts cost the union money).
- Sending happens after the request commits, in the background (services.jobs.queue.run_later), so a
  failing channel never fails or slows the person's request.
- Each send is one MessageDelivery row: the send log. A failed attempt is retried after 1, 5 and 30
  minutes (at most 4 attempts), then marked failed with the last error. A delivery is claimed with a
  guarded update before it is sent, so two runners never send it twice.
- Outbound text is written in Chinese (the platform's first language); links are absolute addresses
  from services.common.urls (PUBLIC_BASE_URL, else the host of the request that made the message).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.messages import (
    CHANNEL_EMAIL,
    CHANNEL_SMS,
    CHANNEL_WECOM,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    DELIVERY_SENDING,
    DELIVERY_SENT,
    ChannelConfig,
    MessageDelivery,
)
from services import policy
from services.common import urls
from services.jobs import queue
from services.jobs.scheduler import periodic
from services.messages import channels, preferences

log = logging.getLogger("jiangxin.delivery")
MAX_ATTEMPTS = 4
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
SEND_TASK = "services.messages.delivery.send_delivery"
PAGE_SIZE = 50


def _render(text) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(text) if text is not None else ""


def _absolute(link: dict | None) -> str:
    """The message's link as an address outside the platform (services.common.urls), or ""."""
    if not link:
        return ""
    return urls.external_url(link["endpoint"], **(link.get("values") or {}))


def _add(channel: str, config: ChannelConfig, target: str, title: str, text: str, message_id=None):
    row = MessageDelivery(message_id=message_id, channel=channel, config_id=config.id, target=target,
                          title=title[:200], text=text[:2000], status=DELIVERY_PENDING,
                          next_attempt_at=clock.now())
    db.session.add(row)
    db.session.flush()
    queue.run_later(SEND_TASK, row.id)
    return row


def personal_channels() -> tuple[ChannelConfig | None, ChannelConfig | None]:
    """The enabled city-wide e-mail and SMS configurations (looked up once per batch of messages)."""
    return channels.enabled_city_channel(CHANNEL_EMAIL), channels.enabled_city_channel(CHANNEL_SMS)


def queue_personal(user, message, subject, body, configs=None) -> list[MessageDelivery]:
    """Queue the outbound sends of one message to `user` on every channel that applies; `configs`:
    personal_channels() when the caller already has them."""
    email, sms = configs or personal_channels()
    if email is None and sms is None:
        return []
    title, text = _render(subject), _render(body)
    link = _absolute(message.link)
    rows = []
    if email and user.email and preferences.wants(user, CHANNEL_EMAIL):
        rows.append(_add(CHANNEL_EMAIL, email, user.email, title, "\n\n".join(t for t in (text, link) if t),
                         message.id))
    if sms and user.phone and preferences.wants(user, CHANNEL_SMS):
        rows.append(_add(CHANNEL_SMS, sms, user.phone, title, title, message.id))
    return rows


def queue_robot(config: ChannelConfig, title: str, text: str) -> MessageDelivery:
    """Queue a post to one WeCom group robot (an officers' digest)."""
    return _add(CHANNEL_WECOM, config, config.settings["url"], title, text)


def _send(row: MessageDelivery, config: ChannelConfig | None) -> None:
    if config is None or not config.enabled:
        raise channels.ChannelError("channel not configured or disabled")
    if row.channel == CHANNEL_WECOM:
        channels.send_wecom(row.target, f"{row.title}\n{row.text}" if row.text != row.title else row.title)
    elif row.channel == CHANNEL_EMAIL:
        channels.send_email(config.settings, row.target, row.title, row.text or row.title)
    else:
        channels.sms_provider(config.settings).send(row.target, {"event": row.title})


def send_delivery(delivery_id: int) -> str | None:
    """Send one delivery if it is due; record the outcome; schedule a retry with backoff on failure.
    Returns the new status, or None when the delivery was not due or another runner took it."""
    now = clock.now()
    claimed = db.session.execute(
        update(MessageDelivery)
        .where(MessageDelivery.id == delivery_id, MessageDelivery.status == DELIVERY_PENDING,
               or_(MessageDelivery.next_attempt_at.is_(None), MessageDelivery.next_attempt_at <= now))
        .values(status=DELIVERY_SENDING, attempts=MessageDelivery.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    row = db.session.get(MessageDelivery, delivery_id)
    try:
        _send(row, db.session.get(ChannelConfig, row.config_id) if row.config_id else None)
    except channels.ChannelError as error:
        row.last_error = str(error)[:500]
        if row.attempts >= MAX_ATTEMPTS:
            row.status, row.next_attempt_at = DELIVERY_FAILED, None
        else:
            row.status, row.next_attempt_at = DELIVERY_PENDING, now + BACKOFF[row.attempts - 1]
    else:
        row.status, row.sent_at, row.last_error, row.next_attempt_at = DELIVERY_SENT, clock.now(), None, None
    db.session.commit()
    log.info("delivery", extra={"fields": {"delivery_id": row.id, "channel": row.channel, "status": row.status,
                                           "attempt": row.attempts, "error": row.last_error}})
    return row.status


@periodic("messages.retry_due_deliveries", every=timedelta(minutes=1))
def retry_due(now) -> str:
    """Send again the deliveries whose retry time has come; free deliveries stuck "sending" (a runner
    that died mid-send) after 10 minutes."""
    stuck = db.session.execute(
        update(MessageDelivery).where(MessageDelivery.status == DELIVERY_SENDING,
                                      MessageDelivery.next_attempt_at <= now - timedelta(minutes=10))
        .values(status=DELIVERY_PENDING)).rowcount
    due = list(db.session.scalars(select(MessageDelivery.id).where(
        MessageDelivery.status == DELIVERY_PENDING, MessageDelivery.next_attempt_at <= now)
        .order_by(MessageDelivery.id).limit(200)))
    for delivery_id in due:
        queue.run_later(SEND_TASK, delivery_id)
    return f"{len(due)} due, {stuck} unstuck"


def deliveries_page(actor, *, before_id: int | None = None, status: str | None = None):
    """The send log for administrators, newest first, keyset paged: (rows, id to continue from)."""
    policy.require_admin(actor, _l("只有总工会管理员可以查看发送记录。"))
    stmt = select(MessageDelivery)
    if before_id:
        stmt = stmt.where(MessageDelivery.id < before_id)
    if status:
        stmt = stmt.where(MessageDelivery.status == status)
    rows = list(db.session.scalars(stmt.order_by(MessageDelivery.id.desc()).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], (rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None)
