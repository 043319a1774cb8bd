"""The growth record (成长档案) as a server-made PDF (services.common.pdf): the same time line as the page
(services.growth.timeline), in Chinese, for the phone. Who may have it is who may see the page
(services.growth.policy.can_view, through services.accounts.people.get_worker in the view)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from core import clock
from models import User
from services.common.pdf.layout import MM, Document
from services.growth.timeline import timeline

KINDS = {"skill": "技能等级", "title": "荣誉称号", "proposal": "五小提案", "competition": "技能竞赛", "mentor": "带徒",
         "apprentice": "拜师", "higher": "上级成绩",
         "training": "技能培训"}


def growth_record_pdf(worker: User, awards, viewer=None) -> bytes:
    """Name, enterprise, trade and level, titles held (a revoked one marked 已撤销 with its date, never as
    held), then every event of the time line as `viewer` may see it (timeline.timeline) as a table row
    (date, kind, what, status and detail).
    Raises RuleViolation for a character no font can print."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        doc = Document(f"{worker.name} 成长档案")
        y = doc.paragraph(f"{worker.name} 的成长档案", top=doc.top, size=20, min_size=14, max_lines=2)
        facts = " · ".join(part for part in (
            worker.enterprise.name if worker.enterprise else "", worker.trade.name if worker.trade else "",
            f"当前等级：{worker.skill or '—'}") if part)
        y = doc.paragraph(facts, top=y, size=11, min_size=9, max_lines=3, color=(0.3, 0.3, 0.3))
        held = []
        for granted in awards:
            if granted.status == "revoked":
                when = (granted.revoked_at or clock.now()).astimezone(clock.SHANGHAI).date().isoformat()
                held.append(f"{granted.title_type.name}（已撤销 {when}）")
            else:
                held.append(f"{granted.title_type.name}（{granted.status_label}）")
        if held:
            y = doc.paragraph("荣誉称号：" + "；".join(held), top=y - 2 * MM, size=11, max_lines=6, align="left")
        rows = [[event.on.isoformat(), KINDS.get(event.kind, event.kind), event.title,
                 "\n".join(part for part in (" · ".join(str(p) for p in (event.status, event.detail) if p),
                                              event.certificate) if part)] for event in timeline(worker, viewer)]
        y = doc.table(["日期", "类别", "事项", "状态与说明"], rows or [["", "", "暂无记录", ""]],
                      [0.15, 0.13, 0.37, 0.35], top=y - 3 * MM, size=10)
        doc.paragraph(f"打印日期：{clock.today().isoformat()}", top=y - 3 * MM, size=9, align="right",
                      color=(0.4, 0.4, 0.4))
        return doc.finish()
