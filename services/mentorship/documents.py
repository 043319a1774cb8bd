"""The mentoring agreement (带徒协议) as a server-made PDF (services.common.pdf), for the phone: the same
content as the print view (templates/mentorship/agreement.html), in the reader's language (`locale`,
services.common.pdf.language; names, trade and goals as typed). Who may have it is who may see the pair
(services.mentorship.pairing.get_pair, called by the view)."""

from __future__ import annotations

from flask_babel import gettext as _

from core import clock
from core.l10n import lazy_gettext as _l
from models.mentorship import MentorPair
from services.common.pdf.language import in_language, long_date
from services.common.pdf.layout import MM, Document

CLAUSES = (
    _l("师傅应结合岗位实际，毫无保留地传授技术技能和职业操守，按期记录带徒情况。"),
    _l("徒弟应尊师好学，按计划完成学习任务，如实确认带徒记录。"),
    _l("协议期满进行出师考核，考核结果分为优秀、合格、不合格。"),
    _l("结对生效后一个月内，任何一方可说明原因解除结对；期间如遇离职、调岗等情况，由企业办理提前结束。"),
)


def _moment(value) -> str:
    return value.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else _("未确认")


def agreement_pdf(pair: MentorPair, *, locale: str | None = None) -> bytes:
    """The agreement of a pair: number, enterprise, mentor and apprentice with their levels, trade, goal
    level, term, goals, record frequency, the clauses, both confirmations and a space for the seal, in
    `locale`. Raises RuleViolation for a character no font can print."""
    with in_language(locale):
        doc = Document(_("带徒协议 MP-%(id)06d", id=pair.id))
        y = doc.paragraph(_("带徒协议"), top=doc.top, size=22)
        y = doc.paragraph(_("编号：%(no)s", no=f"MP-{pair.id:06d}"), top=y, size=11, color=(0.4, 0.4, 0.4))
        y = doc.paragraph(_("为传承技艺、培养高技能人才，经企业安排，师徒双方自愿签订本协议。"), top=y - 3 * MM,
                          size=12, max_lines=3, align="left")
        mentor_level = pair.mentor.skill.label if pair.mentor.skill else _("未评定")
        start_level = pair.apprentice_start_level.label if pair.apprentice_start_level else _("未评定")
        rows = [[_("企业"), pair.enterprise.name],
                [_("师傅"), _("%(name)s（%(level)s）", name=pair.mentor.name, level=mentor_level)],
                [_("徒弟"), _("%(name)s（结对时：%(level)s）", name=pair.apprentice.name, level=start_level)],
                [_("带徒工种"), str(pair.trade.label)], [_("目标技能等级"), str(pair.goal.label)],
                [_("协议期限"), f"{long_date(pair.start_date)} – {long_date(pair.planned_end)}"],
                [_("带徒目标"), pair.goals],
                [_("带徒记录"), _("师傅%(freq)s至少填写一次带徒记录（日期、时长、传授内容、技能要点），由徒弟确认。",
                                  freq=pair.frequency_label)]]
        y = doc.table([_("项目"), _("内容")], rows, [0.25, 0.75], top=y - 2 * MM, size=11)
        for number, clause in enumerate(CLAUSES, start=1):
            y = doc.paragraph(f"{number}. {clause}", top=y - 2 * MM, size=11, max_lines=4, align="left")
        y = doc.table([_("确认"), ""], [[_("师傅确认"), _moment(pair.mentor_confirmed_at)],
                                      [_("徒弟确认"), _moment(pair.apprentice_confirmed_at)], [_("企业（盖章）"), ""]],
                      [0.25, 0.75], top=y - 4 * MM, size=11, row_height=10 * MM)
        doc.paragraph(_("打印日期：%(day)s", day=long_date(clock.today())), top=y - 3 * MM, size=9, align="left",
                      color=(0.4, 0.4, 0.4))
        return doc.finish()
