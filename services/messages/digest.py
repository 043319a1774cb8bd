"""The officers' daily digest: each WeCom group robot gets, once a day, what waits for its officers
(docs/domain.md, "Rules shared by every part").

Rules:
- An enterprise's robot gets the counts waiting for that enterprise's HR (services.messages.todos,
  enterprise counters); a town's robot those waiting for the town's union officers (town counters:
  objections to resolve and notices ending in the events the town owns, its campaigns' results to
  publish); the city's robot (no enterprise, no town) the union administrators' counts.
- Sent by the scheduler from DIGEST_HOUR (Asia/Shanghai) on, once per robot per day: the hourly task is
  claimed by one runner (services.jobs.scheduler) and records each robot's digest of the day
  (ReminderSent, kind "digest") before queueing it. Nothing waiting: nothing sent.
- Posts go through services.messages.delivery (background, retries with backoff, send log); the text
  is Chinese, the platform's first language.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Town, db
from models.messages import ReminderSent
from services.jobs.scheduler import periodic
from services.messages import channels, delivery, todos

DIGEST_HOUR = 8
KIND = "digest"


def digest_text(items: list[todos.Todo]) -> str:
    """One line per waiting kind: "label：count"."""
    return "\n".join(f"{item.label}：{item.count}" for item in items)


def _already_sent(config_id: int, day) -> bool:
    return db.session.scalar(select(ReminderSent.id).where(
        ReminderSent.kind == KIND, ReminderSent.object_id == config_id, ReminderSent.due_on == day)) is not None


def send_digests(now) -> int:
    """Queue today's digest of every enabled robot not yet sent today; returns how many were queued."""
    local = now.astimezone(clock.SHANGHAI)
    if local.hour < DIGEST_HOUR:
        return 0
    day, queued = local.date(), 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for config in channels.wecom_robots():
            if not config.enabled or _already_sent(config.id, day):
                continue
            if config.enterprise_id is not None:
                items = todos.enterprise_todos(config.enterprise_id)
                name = db.session.scalar(select(Enterprise.name).where(Enterprise.id == config.enterprise_id))
            elif config.town_id is not None:
                items = todos.town_todos(config.town_id)
                name = str(db.session.get(Town, config.town_id).label)
            else:
                items, name = todos.city_todos(), str(_l("市总工会"))
            db.session.add(ReminderSent(kind=KIND, object_id=config.id, recipient_id=None, due_on=day))
            if not items:
                continue
            delivery.queue_robot(config, str(_l("%(name)s %(day)s 待办", name=name, day=day.isoformat())),
                                 digest_text(items))
            queued += 1
    db.session.flush()
    return queued


@periodic("messages.daily_digest", every=timedelta(hours=1))
def daily_digest(now) -> str:
    return f"{send_digests(now)} queued"
