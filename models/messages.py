"""The message centre (站内消息) and outbound notifications.

- Message: one event a person waits on (a proposal returned, a waitlist promotion, a title awarded...),
  kept for that person with a link to the object, read or unread.
- MessageDelivery: one outbound send of a message (or of an officers' digest) on one channel (WeCom
  group robot, e-mail, SMS), with every attempt's outcome: sending happens in the background with
  retries and backoff, so a failing channel never fails or slows anyone's request.
- ChannelConfig: the channels the union administrator configured (each optional): the SMTP server, the
  SMS provider, and WeCom robot webhooks per enterprise or town.
- NotificationPreference: a person's choice to turn a channel off (or SMS on).
- ReminderSent: a reminder already sent, so the scheduler sends each reminder once even if it runs twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.types import UTCDateTime, utcnow

CHANNEL_WECOM, CHANNEL_EMAIL, CHANNEL_SMS = "wecom", "email", "sms"
CHANNEL_LABELS = {
    CHANNEL_WECOM: _l("企业微信群机器人"),
    CHANNEL_EMAIL: _l("电子邮件"),
    CHANNEL_SMS: _l("短信"),
}
PERSONAL_CHANNELS = (CHANNEL_EMAIL, CHANNEL_SMS)

DELIVERY_PENDING, DELIVERY_SENDING, DELIVERY_SENT, DELIVERY_FAILED = "pending", "sending", "sent", "failed"
DELIVERY_STATUS_LABELS = {
    DELIVERY_PENDING: _l("待发送"),
    DELIVERY_SENDING: _l("发送中"),
    DELIVERY_SENT: _l("已发送"),
    DELIVERY_FAILED: _l("发送失败"),
}


class Message(db.Model):
    """A message in one person's message centre."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_inbox", "recipient_id", "id"),
        Index("ix_message_inbox_time", "recipient_id", "created_at", "id"),
        Index("ix_message_unread", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # Source texts with arguments ({"text": ..., "args": {...}}), translated when shown.
    subject: Mapped[dict] = mapped_column(JSON)
    body: Mapped[dict | None] = mapped_column(JSON)
    # Where the message leads: {"endpoint": "proposals.show", "values": {"proposal_id": 7}}, built at display.
    link: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MessageDelivery(db.Model):
    """One outbound send on one channel, with its attempts and outcome (the send log)."""

    __tablename__ = "message_delivery"
    __table_args__ = (Index("ix_message_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    config_id: Mapped[int | None] = mapped_column(ForeignKey("channel_config.id", ondelete="SET NULL"))
    target: Mapped[str] = mapped_column(String(500))  # e-mail address, phone, or the robot's webhook
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default=DELIVERY_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self):
        return DELIVERY_STATUS_LABELS.get(self.status, self.status)

    @property
    def channel_label(self):
        return CHANNEL_LABELS.get(self.channel, self.channel)


class ChannelConfig(db.Model):
    """A configured outbound channel: SMTP or SMS city-wide, a WeCom robot per enterprise or town."""

    __tablename__ = "channel_config"
    __table_args__ = (UniqueConstraint("channel", "enterprise_id", "town_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    town_id: Mapped[int | None] = mapped_column(ForeignKey("town.id", ondelete="CASCADE"), index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise")
    town = relationship("Town")

    @property
    def channel_label(self):
        return CHANNEL_LABELS.get(self.channel, self.channel)


class NotificationPreference(db.Model):
    """A person's choice for one personal channel (e-mail on by default when an address is given, SMS off)."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class ReminderSent(db.Model):
    """A reminder sent once: (kind, object, person, the day it is about)."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("kind", "object_id", "recipient_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(Integer)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
