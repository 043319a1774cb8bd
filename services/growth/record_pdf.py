"""The growth record (成长档案) as a server-made PDF (services.common.pdf): the same time line as the page
(services.growth.timeline), in the reader's language (`locale`, services.common.pdf.language; names and
titles as typed), for the phone. Who may have it is who may see the page
(services.growth.policy.can_view, through services.accounts.people.get_worker in the view)."""

from __future__ import annotations

from flask_babel import gettext as _

from core import clock
from core.l10n import lazy_gettext as _l
from models import User
from services.common.pdf.language import in_language, long_date
from services.common.pdf.layout import MM, Document
from services.growth.timeline import timeline

KINDS = {"skill": _l("技能等级"), "title": _l("荣誉称号"), "proposal": _l("五小提案"), "competition": _l("技能竞赛"),
         "mentor": _l("带徒"), "apprentice": _l("拜师"), "higher": _l("上级成绩"), "education": _l("学历提升"),
         "training": _l("技能培训")}


def growth_record_pdf(worker: User, awards, viewer=None, *, locale: str | None = None) -> bytes:
    """Name, enterprise, trade and level, titles held (a revoked one marked 已撤销 with its date, never as
    held), then every event of the time line as `viewer` may see it (timeline.timeline) as a table row
    (date, kind, what, status and detail), in `locale`.
    Raises RuleViolation for a character no font can print."""
    with in_language(locale):
        doc = Document(_("%(name)s 成长档案", name=worker.name))
        y = doc.paragraph(_("%(name)s 的成长档案", name=worker.name), top=doc.top, size=20, min_size=14, max_lines=2)
        facts = " · ".join(part for part in (
            worker.enterprise.name if worker.enterprise else "", str(worker.trade.label) if worker.trade else "",
            _("当前等级") + _("：") + str(worker.skill or "—")) if part)
        y = doc.paragraph(facts, top=y, size=11, min_size=9, max_lines=3, color=(0.3, 0.3, 0.3))
        held = []
        for granted in awards:
            if granted.status == "revoked":
                when = (granted.revoked_at or clock.now()).astimezone(clock.SHANGHAI).date().isoformat()
                held.append(_("%(title)s（已撤销 %(day)s）", title=granted.title_type.label, day=when))
            else:
                held.append(_("%(title)s（%(status)s）", title=granted.title_type.label, status=granted.status_label))
        if held:
            y = doc.paragraph(_("荣誉称号：%(titles)s", titles=_("；").join(held)), top=y - 2 * MM, size=11,
                              max_lines=6, align="left")
        rows = [[event.on.isoformat(), str(KINDS.get(event.kind, event.kind)), event.title,
                 "\n".join(part for part in (" · ".join(str(p) for p in (event.status, event.detail) if p),
                                              event.certificate) if part)] for event in timeline(worker, viewer)]
        y = doc.table([_("日期"), _("类别"), _("事项"), _("状态与说明")], rows or [["", "", _("暂无记录"), ""]],
                      [0.14, 0.2, 0.33, 0.33], top=y - 3 * MM, size=10)
        doc.paragraph(_("打印日期：%(day)s", day=long_date(clock.today())), top=y - 3 * MM, size=9, align="right",
                      color=(0.4, 0.4, 0.4))
        return doc.finish()
