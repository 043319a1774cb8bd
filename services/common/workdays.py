"""Working days for public notices (公示), from the official calendar (docs/domain.md, "Rules shared by
every part").

Rules:
- A day's status comes, in this order, from: an override the administrator entered (a holiday or a
  make-up workday, WorkdayOverride); the State Council's yearly schedule of holidays and make-up
  workdays, through the chinese-calendar package (it knows the years it was released for); for a year
  the package does not know, the administrator's confirmed entry of that year (CalendarYear: then
  Monday-Friday plus their overrides is the schedule).
- For a year nobody knows yet, a provisional rule: Monday-Friday without the fixed-date holidays
  (1 January, 1 May, 1-3 October). Any period counted over such a day is provisional (暂定): shown so to
  everyone, with a warning on the administrator's to-do list, and recomputed for every open notice the
  moment the administrator enters or confirms that year's schedule. Never a silent Monday-Friday guess.
- A notice of N working days counts from the day after publication (Asia/Shanghai) and ends at midnight
  after its N-th working day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import chinese_calendar
from sqlalchemy import bindparam, delete, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import db
from models.notices import NOTICE_OPEN, CalendarYear, PublicNotice, WorkdayOverride
from services import policy
from services.common import audit
from services.errors import RuleViolation
from services.messages.inbox import link_to
from services.messages.todos import Tally, Todo, todo_provider

FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


def package_knows(year: int) -> bool:
    """Whether the chinese-calendar package has the State Council's schedule of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def last_known_year() -> int:
    """The last year the chinese-calendar package knows."""
    year = clock.today().year + 1
    while year > 2004 and not package_knows(year):
        year -= 1
    return year


class Calendar:
    """Day statuses over a span, with the administrator's overrides loaded once, and the confirmed years
    loaded once when a day of a year the package does not know is asked for (most spans need none)."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.overrides = dict(db.session.execute(shared_statement(("workdays.overrides",), lambda: select(
            WorkdayOverride.day, WorkdayOverride.is_workday).where(
            WorkdayOverride.day.between(bindparam("first_day"), bindparam("last_day")))),
            {"first_day": start, "last_day": end}).all())
        self._confirmed: set[int] | None = None

    @property
    def confirmed(self) -> set[int]:
        """The years of the span whose schedule the administrator confirmed."""
        if self._confirmed is None:
            self._confirmed = set(db.session.scalars(select(CalendarYear.year).where(
                CalendarYear.year.between(self.start.year, self.end.year))))
        return self._confirmed

    def status(self, day: date) -> tuple[bool, bool]:
        """(is a working day, is provisional) for `day`."""
        if day in self.overrides:
            return self.overrides[day], False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:
            weekday = day.weekday() < 5
            if day.year in self.confirmed:
                return weekday, False
            return weekday and (day.month, day.day) not in FIXED_HOLIDAYS, True


def add_working_days(start: date, count: int) -> tuple[date, bool]:
    """The `count`-th working day after `start` (start itself not counted), and whether it is provisional."""
    calendar = Calendar(start, start + timedelta(days=count * 3 + 30))
    day, remaining, provisional = start, count, False
    while remaining > 0:
        day += timedelta(days=1)
        working, unsure = calendar.status(day)
        provisional = provisional or unsure
        if working:
            remaining -= 1
    return day, provisional


def notice_end(published: datetime, working_days: int) -> tuple[datetime, bool]:
    """Midnight (Shanghai) after the last working day of a notice published at `published`, and whether
    that end is provisional."""
    last_day, provisional = add_working_days(published.astimezone(clock.SHANGHAI).date(), working_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI), provisional


def recompute_open_notices() -> int:
    """Recount the end of every open notice (after the schedule changed); returns how many moved."""
    moved = 0
    for notice in db.session.scalars(select(PublicNotice).where(PublicNotice.status == NOTICE_OPEN)):
        ends_at, provisional = notice_end(notice.published_at, notice.working_days)
        if (ends_at, provisional) != (notice.ends_at, notice.provisional):
            notice.ends_at, notice.provisional = ends_at, provisional
            moved += 1
    db.session.flush()
    return moved


def _require_calendar_admin(actor) -> None:
    policy.require_admin(actor, _l("只有总工会管理员可以维护节假日安排。"))


def set_override(actor, day: date, is_workday: bool, note: str = "") -> WorkdayOverride:
    """Enter one day of the schedule (a holiday or a make-up workday) and recount open notices."""
    _require_calendar_admin(actor)
    if day is None:
        raise RuleViolation(_l("请选择日期。"), field="day")
    row = db.session.get(WorkdayOverride, day) or WorkdayOverride(day=day)
    row.is_workday, row.note, row.updated_by_id = is_workday, (note or "").strip()[:100] or None, actor.id
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.override", actor=actor, day=day.isoformat(), workday=is_workday)
    recompute_open_notices()
    return row


def remove_override(actor, day: date) -> None:
    """Remove an entered day and recount open notices."""
    _require_calendar_admin(actor)
    db.session.execute(delete(WorkdayOverride).where(WorkdayOverride.day == day))
    audit.record("calendar.override_removed", actor=actor, day=day.isoformat())
    recompute_open_notices()


def confirm_year(actor, year: int) -> None:
    """Declare `year`'s schedule completely entered (its holidays and make-up workdays are the overrides),
    so periods over it are no longer provisional; recount open notices."""
    _require_calendar_admin(actor)
    if package_knows(year):
        raise RuleViolation(_l("%(year)d 年的国务院节假日安排已内置，只需录入本地调整。", year=year), field="year")
    if db.session.get(CalendarYear, year) is None:
        db.session.add(CalendarYear(year=year, confirmed_by_id=actor.id))
        db.session.flush()
        audit.record("calendar.year_confirmed", actor=actor, year=year)
    recompute_open_notices()


def overrides_of(year: int) -> list[WorkdayOverride]:
    return list(db.session.scalars(select(WorkdayOverride).where(
        WorkdayOverride.day.between(date(year, 1, 1), date(year, 12, 31))).order_by(WorkdayOverride.day)))


def year_state(year: int) -> str:
    """"official" (the package knows it), "confirmed" (the administrator entered it) or "provisional"."""
    if package_knows(year):
        return "official"
    return "confirmed" if db.session.get(CalendarYear, year) is not None else "provisional"


def provisional_years() -> list[int]:
    """Years that open notices run into without a known schedule (what the administrator must enter)."""
    ends = db.session.scalars(select(PublicNotice.ends_at).where(PublicNotice.status == NOTICE_OPEN,
                                                                 PublicNotice.provisional))
    return sorted({(end - timedelta(days=1)).astimezone(clock.SHANGHAI).year for end in ends})


@todo_provider("calendar.provisional_notices")
def provisional_notice_todos(person) -> list[Tally]:
    """Administrators: open notices whose end is provisional, until the year's schedule is entered."""
    if not policy.is_admin(person):
        return []
    return [Tally(("calendar.provisional_notices",),
                  lambda: select(func.count(PublicNotice.id)).where(PublicNotice.status == NOTICE_OPEN,
                                                                    PublicNotice.provisional), {},
                  lambda count: [Todo(_l("公示截止日期暂定：请录入明年的节假日安排"), count or 0,
                                      link_to("admin.calendar"), urgent=True)])]
