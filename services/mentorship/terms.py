"""Dates of a mentoring agreement (带徒协议): term arithmetic and the day-based rules built on it.

An agreement runs 12 to 36 months (default 12) from its start; either side may dissolve it within
its first `dissolution_months` after activation; a check-in is overdue `grace_days` after it fell
due; the mentor's credits count until 3 years after the end (docs/domain.md, "Mentoring"; the
numbers are models.mentorship constants and MentorshipSettings).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from models.mentorship import CREDIT_YEARS_AFTER, MentorPair, MentorshipSettings
from services.mentorship.settings import get_settings


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier, when negative), clamped to the month's last day
    (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def credit_window_end(end: date) -> date:
    """Last day an apprentice's milestone counts for the mentor: the agreement's end + 3 years."""
    return add_months(end, 12 * CREDIT_YEARS_AFTER)


def dissolution_deadline(pair: MentorPair, settings: MentorshipSettings | None = None) -> date | None:
    """Last day either side may dissolve an active pair: `dissolution_months` (a setting, default 1)
    after its activation; None for a pair never activated."""
    if pair.activated_on is None:
        return None
    settings = settings or get_settings()
    return add_months(pair.activated_on, settings.dissolution_months)


def overdue_before(today: date, settings: MentorshipSettings) -> date:
    """A pair whose next check-in was due before this day is overdue (`grace_days` of grace)."""
    return today - timedelta(days=settings.grace_days)


def week_end(today: date) -> date:
    """The Sunday that ends `today`'s week (a check-in due by then is 'due this week')."""
    return today + timedelta(days=6 - today.weekday())

