"""The printed sign-in sheet (签到表) of a training class (services.common.pdf, like the competitions' sheet):
the programme and class, time and place, then one row per confirmed enrolment by name with columns for
the signature and the sign-in and sign-out times. The organiser ticks it into the system afterwards
(services.training.attendance.record_list). For the owner and the class assistant (can_run_signin).
The document is in Chinese.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from core.clock import SHANGHAI
from models import db
from models.training import TrainingClass
from services.common.pdf.layout import MM, Document
from services.training import attendance, policy


def sign_in_sheet_pdf(actor, training_class: TrainingClass) -> bytes:
    """The class's sign-in sheet. NotFound / NotAllowed as policy.require_signin_runner; RuleViolation for
    a character no font can print."""
    policy.require_signin_runner(actor, training_class)
    enrolments = db.session.scalars(attendance.roster_query(training_class)).unique().all()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        programme = training_class.programme
        doc = Document(f"{programme.name} {training_class.title} 签到表")
        y = doc.paragraph(f"{programme.name} · {training_class.title} · 签到表", top=doc.top, size=18, min_size=12,
                          max_lines=2)
        start = training_class.starts_at.astimezone(SHANGHAI)
        end = training_class.ends_at.astimezone(SHANGHAI)
        line = f"{start.strftime('%Y年%m月%d日 %H:%M')}–{end.strftime('%H:%M')}"
        if training_class.place:
            line += f" · {training_class.place}"
        if training_class.trainer:
            line += f" · 授课：{training_class.trainer}"
        y = doc.paragraph(f"{line} · {training_class.hours} 学时", top=y, size=11, min_size=9, max_lines=2) - 3 * MM
        rows = [[str(index), e.worker.name, e.enterprise.name if e.enterprise else "", "", "", ""]
                for index, e in enumerate(enrolments, start=1)]
        doc.table(["序号", "姓名", "企业", "签名", "签到时间", "签退时间"], rows, [0.08, 0.17, 0.33, 0.16, 0.13, 0.13],
                  top=y, row_height=9 * MM)
        return doc.finish()
