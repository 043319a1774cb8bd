"""Reminders: the day before a check-in is due, a scoring deadline, the end of a public notice or of a
registration window, each sent once (docs/domain.md, "Rules shared by every part").

Each domain registers a provider (`reminder`) in a module listed in REMINDER_MODULES: given today's date
it names who should be reminded of what. The scheduler runs them hourly; a reminder is recorded in
ReminderSent (unique per kind, object, person and day) before it is sent, so it goes out once even when
the scheduler runs twice or the task is retried.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from core import clock
from models import db
from models.messages import ReminderSent
from services.common.i18n import Deferred
from services.jobs.scheduler import periodic
from services.messages import inbox

REMINDER_MODULES: tuple[str, ...] = ("services.common.notices", "services.proposals.events",
                                     "services.competitions.events", "services.mentorship.events",
                                     "services.training.attendance_events")


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_id: int
    recipient_id: int
    due_on: date
    subject: Deferred
    link: dict | None = None


PROVIDERS: dict[str, Callable[[date], Iterable[Reminder]]] = {}


def reminder(kind: str):
    """Register `func(today) -> reminders due` for `kind`."""

    def decorator(func):
        PROVIDERS[kind] = func
        return func

    return decorator


def _first_time(item: Reminder) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(ReminderSent(kind=item.kind, object_id=item.object_id, recipient_id=item.recipient_id,
                                        due_on=item.due_on))
    except IntegrityError:
        return False
    return True


def send_due(today: date) -> int:
    """Send every reminder due `today` that was not sent before; returns how many went out."""
    for module in REMINDER_MODULES:
        importlib.import_module(module)
    sent = 0
    for provider in PROVIDERS.values():
        for item in provider(today):
            if _first_time(item):
                inbox.notify([item.recipient_id], f"reminder.{item.kind}", item.subject, link=item.link)
                sent += 1
    return sent


def tomorrow(today: date) -> date:
    return today + timedelta(days=1)


@periodic("messages.reminders", every=timedelta(hours=1))
def send_reminders(now) -> str:
    return f"{send_due(now.astimezone(clock.SHANGHAI).date())} sent"
