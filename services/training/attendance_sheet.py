"""The printed sign-in sheet (签到表) of a training class (services.common.pdf, like the competitions' sheet):
the programme and class (签到表 never cut by a line break), time and place, then one row per confirmed
enrolment in the order of a printed roster (attendance.roster_query: enterprise, employee number, name)
with columns for the signature and the sign-in and sign-out times. The organiser ticks it into the system afterwards
(services.training.attendance.record_list). For the owner and the class assistant (can_run_signin).
Drawn in the reader's language (`locale`, services.common.pdf.language); names, titles and places stay
as typed.
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.clock import SHANGHAI
from models import db
from models.training import TrainingClass
from services.common.pdf.language import in_language, long_date
from services.common.pdf.layout import MM, Document, wrap
from services.training import attendance, policy


def _title(doc: Document, title: str, heading: str) -> float:
    """The sheet's title on one line when it fits (shrunk down to 12 pt); else the programme and class
    (up to two lines) and 签到表 on a line of its own, so a line break never cuts 签到表 (layout.wrap
    breaks Chinese between any two characters). Returns the y below it."""
    if len(wrap(title, 12, doc.right - doc.left)) == 1:
        return doc.paragraph(title, top=doc.top, size=18, min_size=12, max_lines=1)
    y = doc.paragraph(heading, top=doc.top, size=18, min_size=12, max_lines=2)
    return doc.paragraph(_("签到表"), top=y, size=18)


def sign_in_sheet_pdf(actor, training_class: TrainingClass, *, locale: str | None = None) -> bytes:
    """The class's sign-in sheet in `locale`. NotFound / NotAllowed as policy.require_signin_runner;
    RuleViolation for a character no font can print."""
    policy.require_signin_runner(actor, training_class)
    enrolments = db.session.execute(attendance.roster_query(training_class)).all()
    with in_language(locale):
        programme = training_class.programme
        title = _("%(programme)s %(title)s 签到表", programme=programme.name, title=training_class.title)
        doc = Document(title)
        y = _title(doc, title, f"{programme.name} {training_class.title}")
        start = training_class.starts_at.astimezone(SHANGHAI)
        end = training_class.ends_at.astimezone(SHANGHAI)
        parts = [f"{long_date(start.date())} {start.strftime('%H:%M')}–{end.strftime('%H:%M')}"]
        if training_class.place:
            parts.append(training_class.place)
        if training_class.trainer:
            parts.append(_("授课：%(trainer)s", trainer=training_class.trainer))
        parts.append(_("%(h)s 学时", h=training_class.hours))
        y = doc.paragraph(" · ".join(parts), top=y, size=11, min_size=9, max_lines=2) - 3 * MM
        rows = [[str(index), e.worker_name, e.enterprise_name or "", "", "", ""]
                for index, e in enumerate(enrolments, start=1)]
        doc.table([_("序号"), _("姓名"), _("企业"), _("签名"), _("签到时间"), _("签退时间")], rows,
                  [0.08, 0.17, 0.33, 0.16, 0.13, 0.13], top=y, row_height=9 * MM)
        return doc.finish()
