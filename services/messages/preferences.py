"""A person's choice of outbound channels (the message centre itself cannot be turned off).

Rules: e-mail is on by default (it needs an address in the profile); SMS is off until turned on.
Only the person changes their own choices.
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from models import db
from models.messages import CHANNEL_EMAIL, CHANNEL_SMS, PERSONAL_CHANNELS, NotificationPreference
from services.errors import RuleViolation

DEFAULTS = {CHANNEL_EMAIL: True, CHANNEL_SMS: False}


def wants(user, channel: str) -> bool:
    """Whether `user` receives messages on `channel`."""
    row = db.session.get(NotificationPreference, (user.id, channel))
    return row.enabled if row is not None else DEFAULTS[channel]


def choices(user) -> dict[str, bool]:
    """Every personal channel -> on/off for `user`."""
    return {channel: wants(user, channel) for channel in PERSONAL_CHANNELS}


def set_choices(user, enabled: dict[str, bool], email: str | None) -> None:
    """Save `user`'s channel choices and e-mail address (blank removes it)."""
    email = (email or "").strip() or None
    if email is not None and ("@" not in email or len(email) > 120 or " " in email):
        raise RuleViolation(_l("请填写正确的电子邮件地址。"), field="email")
    user.email = email
    for channel in PERSONAL_CHANNELS:
        row = db.session.get(NotificationPreference, (user.id, channel))
        if row is None:
            row = NotificationPreference(user_id=user.id, channel=channel)
            db.session.add(row)
        row.enabled = bool(enabled.get(channel))
    db.session.flush()
