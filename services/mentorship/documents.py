"""The mentoring agreement (带徒协议) as a server-made PDF (services.common.pdf), for the phone: the same
content as the print view (templates/mentorship/agreement.html), in Chinese. Who may have it is who may
see the pair (services.mentorship.pairing.get_pair, called by the view)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from core import clock
from models.mentorship import MentorPair
from services.common.pdf.layout import MM, Document

CLAUSES = (
    "师傅应结合岗位实际，毫无保留地传授技术技能和职业操守，按期记录带徒情况。",
    "徒弟应尊师好学，按计划完成学习任务，如实确认带徒记录。",
    "协议期满进行出师考核，考核结果分为优秀、合格、不合格。",
    "结对生效后一个月内，任何一方可说明原因解除结对；期间如遇离职、调岗等情况，由企业办理提前结束。",
)


def _moment(value) -> str:
    return value.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else "未确认"


def agreement_pdf(pair: MentorPair) -> bytes:
    """The agreement of a pair: number, enterprise, mentor and apprentice with their levels, trade, goal
    level, term, goals, record frequency, the clauses, both confirmations and a space for the seal.
    Raises RuleViolation for a character no font can print."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        doc = Document(f"带徒协议 MP-{pair.id:06d}")
        y = doc.paragraph("带徒协议", top=doc.top, size=22)
        y = doc.paragraph(f"编号：MP-{pair.id:06d}", top=y, size=11, color=(0.4, 0.4, 0.4))
        y = doc.paragraph("为传承技艺、培养高技能人才，经企业安排，师徒双方自愿签订本协议。", top=y - 3 * MM, size=12,
                          max_lines=3, align="left")
        mentor_level = pair.mentor.skill.label if pair.mentor.skill else "未评定"
        start_level = pair.apprentice_start_level.label if pair.apprentice_start_level else "未评定"
        rows = [["企业", pair.enterprise.name], ["师傅", f"{pair.mentor.name}（{mentor_level}）"],
                ["徒弟", f"{pair.apprentice.name}（结对时：{start_level}）"], ["带徒工种", pair.trade.name],
                ["目标技能等级", str(pair.goal.label)],
                ["协议期限", f"{pair.start_date.isoformat()} 至 {pair.planned_end.isoformat()}"],
                ["带徒目标", pair.goals],
                ["带徒记录", f"师傅{pair.frequency_label}至少填写一次带徒记录（日期、时长、传授内容、技能要点），"
                            "由徒弟确认。"]]
        y = doc.table(["项目", "内容"], rows, [0.25, 0.75], top=y - 2 * MM, size=11)
        for number, clause in enumerate(CLAUSES, start=1):
            y = doc.paragraph(f"{number}. {clause}", top=y - 2 * MM, size=11, max_lines=4, align="left")
        y = doc.table(["确认", ""], [["师傅确认", _moment(pair.mentor_confirmed_at)],
                                    ["徒弟确认", _moment(pair.apprentice_confirmed_at)], ["企业（盖章）", ""]],
                      [0.25, 0.75], top=y - 4 * MM, size=11, row_height=10 * MM)
        doc.paragraph(f"打印日期：{clock.today().isoformat()}", top=y - 3 * MM, size=9, align="left",
                      color=(0.4, 0.4, 0.4))
        return doc.finish()
