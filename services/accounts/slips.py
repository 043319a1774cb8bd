"""Activation slips (开通通知单): the PDF HR prints for a batch of people when their codes are issued.

Rules (docs/domain.md, "Accounts"):
- A slip shows the person's name, login (phone, else username), the activation code in groups of four,
  a QR code of the activation page's address, the address itself and the date the code expires (Asia/
  Shanghai); eight slips per A4 page, with dashed cut lines between them.
- Codes exist only in the slip (services.accounts.activation stores their hashes), so a slip is always
  made in the same transaction as the codes it prints: printing again issues new codes.
- Up to INLINE_PEOPLE people the PDF is made in the request; a bigger batch is the background job
  "accounts.activation_slips" (services.jobs) with progress, which issues the codes and writes the PDF
  in the job's one transaction; it re-selects the people (`slip_people`) with the requester's scope.
- By default a batch issues codes only for people without a valid code (none, expired or used): a valid
  code's printed slip must keep working. Reissuing valid codes too (`reissue=True`) is an explicit
  second choice (the page warns that their printed slips stop working).
- The page lists whom a batch may be for (slip_people_query with reissue, paged) with each person's
  code state (`code_states`: none / valid until / expired).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import case, exists, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Role, User, UserRole, db
from models.activation import ActivationCode
from models.jobs import Job
from services.accounts import activation, people
from services.common.i18n import deferred
from services.common.pdf.layout import MM, Document
from services.errors import RuleViolation
from services.jobs import queue

INLINE_PEOPLE = 500
SLIPS_KIND = "accounts.activation_slips"
COLUMNS, ROWS = 2, 4
PDF_TYPE = "application/pdf"


def _holds_valid_code():
    """A correlated condition: the person holds an unused activation code that has not expired."""
    return exists().where(ActivationCode.user_id == User.id, ActivationCode.used_at.is_(None),
                          ActivationCode.expires_at > clock.now())


def slip_people_query(actor: User, *, search: str | None = None, reissue: bool = False, roles: bool = True):
    """People `actor` may issue codes for who have not activated their account (active accounts with the
    worker or HR role), filtered by the people search; without `reissue` only those holding no valid
    code; oldest first, as a roster reads. `roles=False`: their roles unloaded (the page's list; issuing
    codes reads them)."""
    # A check per listed person through the unique (user_id, role) index: `id IN (every worker's id)`
    # made SQLite gather all of them first (HR's page at scale 0.1: ~15 ms per statement, three of them).
    stmt = people.people_query(actor, search=search, active=True, roles=roles).where(
        User.activated_at.is_(None),
        exists().where(UserRole.user_id == User.id, UserRole.role.in_([str(Role.WORKER), str(Role.HR)])))
    if not reissue:
        stmt = stmt.where(~_holds_valid_code())
    return stmt.order_by(None).order_by(User.id)


def slip_count(actor: User, *, search: str | None = None, reissue: bool = False) -> int:
    """How many people `slip_people_query` selects (one count query)."""
    inner = slip_people_query(actor, search=search, reissue=reissue).order_by(None).with_only_columns(
        User.id).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0


def slip_counts(actor: User, *, search: str | None = None) -> tuple[int, int]:
    """(`slip_count` without reissue, `slip_count` with reissue) in one count query: the people holding no
    valid code, and everyone the batch may be for."""
    inner = slip_people_query(actor, search=search, reissue=True).order_by(None).with_only_columns(
        User.id, _holds_valid_code().label("holds_valid")).subquery()
    without_valid, everyone = db.session.execute(select(
        func.count(case((inner.c.holds_valid, None), else_=inner.c.id)), func.count())).one()
    return without_valid or 0, everyone or 0


def slip_people_rows(actor: User, *, search: str | None = None):
    """`slip_people_query` with reissue as plain rows of what the page lists (id, name, employee_no, phone)."""
    return slip_people_query(actor, search=search, reissue=True, roles=False).with_only_columns(
        User.id, User.name, User.employee_no, User.phone)


def code_states(people_listed: list[User]) -> dict[int, tuple[str, object]]:
    """{person id: (state, expires_at)} for a page of the list (one query): state "none" (no code),
    "valid" (unused, not expired) or "expired" (expired or used)."""
    ids = [person.id for person in people_listed]
    rows = db.session.execute(select(ActivationCode.user_id, ActivationCode.expires_at, ActivationCode.used_at)
                              .where(ActivationCode.user_id.in_(ids))).all() if ids else []
    now = clock.now()
    states: dict[int, tuple[str, object]] = dict.fromkeys(ids, ("none", None))
    for user_id, expires_at, used_at in rows:
        states[user_id] = ("valid" if used_at is None and expires_at > now else "expired", expires_at)
    return states


def slips_pdf(issued: list[activation.IssuedCode], url: str, report=None) -> bytes:
    """The slips of `issued` codes as PDF bytes (COLUMNS x ROWS per A4 page), `report(done, total)`
    after each page."""
    document = Document(_("开通通知单"), margin=10 * MM)
    width = (document.right - document.left) / COLUMNS
    height = (document.top - document.bottom) / ROWS
    per_page = COLUMNS * ROWS
    for index, item in enumerate(issued):
        if index and index % per_page == 0:
            document.new_page()
            if report is not None:
                report(index, len(issued))
        slot = index % per_page
        x = document.left + (slot % COLUMNS) * width
        y = document.top - (slot // COLUMNS) * height
        if slot == 0:
            _cut_lines(document, width, height)
        _slip(document, item, url, x, y, width, height)
    if not issued:
        document.paragraph(_("没有需要打印的开通通知单。"), top=document.top, size=12)
    if report is not None:
        report(len(issued), len(issued))
    return document.finish()


def _cut_lines(document: Document, width: float, height: float) -> None:
    pdf = document.canvas
    pdf.saveState()
    pdf.setDash(4, 3)
    pdf.setLineWidth(0.4)
    pdf.setStrokeColorRGB(0.45, 0.45, 0.45)
    for column in range(COLUMNS + 1):
        x = document.left + column * width
        pdf.line(x, document.bottom, x, document.top)
    for row in range(ROWS + 1):
        y = document.bottom + row * height
        pdf.line(document.left, y, document.right, y)
    pdf.restoreState()


def _slip(document: Document, item: activation.IssuedCode, url: str, x: float, y: float,
          width: float, height: float) -> None:
    pad = 5 * MM
    qr_size = 30 * MM
    document.qr(url, x + width - pad - qr_size, y - pad - qr_size, qr_size)
    left, right = x + pad, x + width - 2 * pad - qr_size
    person = item.person
    expires = item.expires_at.astimezone(clock.SHANGHAI).date().isoformat()

    def text(value: str, top: float, size: float, leading: float = 1.4) -> float:
        return document.paragraph(value, top=top, size=size, min_size=7, left=left, right=right, align="left",
                                  leading=leading)

    top = text(_("匠心 · 账号开通通知单"), y - pad, 10, 1.6)
    top = text(_("姓名：%(name)s", name=person.name), top, 13)
    top = text(_("登录手机号：%(login)s", login=person.phone or person.username or ""), top, 11)
    top = text(_("开通码："), top, 10, 1.3)
    top = text(item.code, top, 18, 1.35)
    top = text(_("有效期至：%(date)s", date=expires), top, 10)
    below = min(top, y - pad - qr_size) - 2 * MM
    document.paragraph(
        _("扫码或打开 %(url)s，输入手机号和开通码，阅读并同意个人信息保护告知，设置密码即可登录。"
          "开通码只能用一次，请勿交给他人。", url=url),
        top=below, size=8.5, min_size=6, max_lines=4, left=x + pad, right=x + width - pad, align="left",
        leading=1.4)


def issue_slips(actor: User, people_to_issue: list[User], url: str, report=None) -> bytes:
    """Issue codes for `people_to_issue` (activation.issue_codes' rules) and answer their slips' PDF."""
    issued = activation.issue_codes(actor, people_to_issue)
    return slips_pdf(issued, url, report)


def reset_slip(actor: User, person: User, url: str) -> bytes:
    """Reset a person's password (activation.reset_password's rules) and answer their one slip's PDF."""
    return slips_pdf([activation.reset_password(actor, person)], url)


def batch_slips(actor: User, *, search: str | None, url: str, reissue: bool = False) -> bytes:
    """The slips of everyone `slip_people_query` selects, made in the request (up to INLINE_PEOPLE;
    RuleViolation when there is nobody or more: use `start_slips_job`)."""
    count = slip_count(actor, search=search, reissue=reissue)
    _check_batch(count, actor, search)
    if count > INLINE_PEOPLE:
        raise RuleViolation(_l("人数较多，请在后台生成开通通知单。"))
    selected = slip_people_query(actor, search=search, reissue=reissue)
    return issue_slips(actor, list(db.session.scalars(selected)), url)


def _check_batch(count: int, actor: User, search: str | None) -> None:
    """RuleViolation when a batch selects nobody: nobody is waiting, or everyone holds a valid code."""
    if count:
        return
    if slip_count(actor, search=search, reissue=True) == 0:
        raise RuleViolation(_l("没有尚未开通的人员。"))
    else:
        raise RuleViolation(_l("没有需要签发开通码的人员：尚未开通的人员都持有有效的开通码。"
                               "如需作废并重新签发，请选择“重新签发”。"))


def start_slips_job(actor: User, *, search: str | None, url: str, locale: str, reissue: bool = False) -> Job:
    """Record the background job making the slips of everyone `slip_people_query` selects (HR or admin:
    NotAllowed otherwise; RuleViolation when nobody is selected)."""
    activation.require_issuer(actor)
    _check_batch(slip_count(actor, search=search, reissue=reissue), actor, search)
    return queue.enqueue(actor, SLIPS_KIND, search=search, url=url, locale=locale, reissue=reissue)


@queue.job_kind(SLIPS_KIND, _l("生成开通通知单"))
def slips_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"search", "url", "locale", "reissue"}; issues the codes and writes activation-slips.pdf."""
    reissue = bool(params.get("reissue"))
    selected = list(db.session.scalars(slip_people_query(actor, search=params.get("search"), reissue=reissue)))
    _check_batch(len(selected), actor, params.get("search"))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = issue_slips(actor, selected, params["url"], report)
    return queue.JobResult(deferred("已为 %(n)d 人签发开通码并生成开通通知单。", n=len(selected)),
                           file_name="activation-slips.pdf", content_type=PDF_TYPE, data=data)
