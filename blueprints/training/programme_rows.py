"""A training programme's page's two tables built in Python (training/show.html): its classes with their
actions and a page of its enrolments, as the template wrote them piece by piece (a programme has a few
dozen classes and the page 50 enrolments: ~2,000 pieces of output). Here each label is translated once
a page, links come from one pattern each (url_pattern), the buttons share one CSRF field (the template's
csrf_field), and values are escaped as the template's `{{ }}` (core.templating.text_escape), times and
hours by the templates' `datetime` and `number` filters."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.forms import csrf_field_html
from core.templating import text_escape, url_pattern

# each enrolment status's badge colour (training's status_badge)
_ENROLMENT_COLOURS = {"confirmed": "success", "waitlisted": "warning", "withdrawn": "secondary", "rejected": "danger"}


def class_rows(classes, *, under_way: set, signin_ids: set, signin_now: set, own, is_owner: bool,
               status: str) -> Markup:
    """The classes table's <tr>s: title (marked while under way), time, place, hours, trainer, assistant
    and, when the page has actions (the owner, a sign-in runner, an enrolled worker), the sign-in board
    now, the attendance list, the worker's own attendance and, under 更多, the board later and the
    owner's edit and remove while the programme is a draft or published (`status`)."""
    esc, filters = text_escape, current_app.jinja_env.filters
    when, number = filters["datetime"], filters["number"]
    l_class, l_time, l_place, l_hours, l_trainer, l_assistant = (_("班次"), _("时间"), _("地点"), _("学时"),
                                                                 _("授课老师"), _("班级助理"))
    l_more, l_edit, l_remove, l_attendance, l_my_attendance, l_board = (_("更多"), _("编辑"), _("删除"), _("考勤"),
                                                                        _("我的考勤"), _("签到页"))
    l_signin, l_under_way, under_way_row = _("签到"), _("进行中"), ' class="table-warning class-under-way"'
    under_way_badge = (f' <span class="badge text-bg-warning badge-readable" data-testid="under-way">{l_under_way}'
                       f'</span>')
    has_actions, mine = is_owner or signin_ids or own is not None, own is not None and own.status == "confirmed"
    may_edit, published = is_owner and status in ("draft", "published"), status == "published"
    board_url, attendance_url, my_attendance_url, edit_url, remove_url = (
        url_pattern(f"training.{name}", "class_id")
        for name in ("signin_board", "attendance_list", "my_attendance", "class_edit", "class_remove"))
    csrf = csrf_field_html() if may_edit and classes else ""
    out = []
    for c in classes:
        cid, now = c.id, c.id in under_way
        actions = ""
        if has_actions:
            runs, open_now = cid in signin_ids, cid in signin_now
            board_later = runs and not open_now and published
            more = ""
            if board_later or may_edit:
                board = (f'<a class="btn btn-sm btn-outline-secondary" href="{board_url % cid}" data-testid='
                         f'"signin-board-{cid}">{l_board}</a>' if board_later else "")
                edit = (f'<a class="btn btn-sm btn-outline-primary" href="{edit_url % cid}">{l_edit}</a><form '
                        f'method="post" action="{remove_url % cid}">{csrf}<button class="btn btn-sm '
                        f'btn-outline-danger" type="submit">{l_remove}</button></form>' if may_edit else "")
                more = (f'<details class="class-more"><summary class="btn btn-sm btn-outline-secondary">{l_more}'
                        f'</summary><div class="class-actions mt-2">\n      {board}\n      {edit}\n    </div>'
                        f'</details>')
            signin = (f'<a class="btn btn-primary mb-2" href="{board_url % cid}" data-testid="signin-board-{cid}">'
                      f'{l_signin}</a>' if open_now and published else "")
            attendance = (f'<a class="btn btn-sm btn-outline-primary" href="{attendance_url % cid}" data-testid='
                          f'"attendance-{cid}">{l_attendance}</a>' if runs else "")
            own_attendance = (f'<a class="btn btn-sm btn-outline-primary" href="{my_attendance_url % cid}" '
                              f'data-testid="my-attendance-{cid}">{l_my_attendance}</a>' if mine else "")
            actions = (f'<td class="cell-action">\n    {signin}\n    <div class="class-actions">\n    {attendance}'
                       f'\n    {own_attendance}\n    \n    {more}\n    </div>\n  </td>')
        marked, badge = (under_way_row, under_way_badge) if now else ("", "")
        out.append(
            f'\n  <tr{marked} data-testid="class-{cid}"><td data-label="{l_class}" class="cell-primary">'
            f'{esc(c.title)}{badge}</td><td data-label="{l_time}">{esc(when(c.starts_at))} – '
            f'{esc(when(c.ends_at, "HH:mm"))}</td><td '
            f'data-label="{l_place}">{esc(c.place)}</td><td data-label="{l_hours}" class="text-end">'
            f'{esc(number(c.hours))}</td><td data-label="{l_trainer}">{esc(c.trainer)}</td><td data-label='
            f'"{l_assistant}">{esc(c.assistant_name if c.assistant_id else "")}</td>{actions}</tr>\n  ')
    return Markup("".join(out))


def enrolment_rows(items, positions: dict, statuses: dict, *, may_withdraw: bool, my_enterprise) -> Markup:
    """The enrolment list's <tr>s: worker (with the employee number), enterprise, status badge (a waiting
    place's number), time and, for HR before the start (`may_withdraw`), withdrawing their own
    enterprise's confirmed or waitlisted enrolment."""
    esc, when = text_escape, current_app.jinja_env.filters["datetime"]
    l_worker, l_enterprise, l_status, l_time, l_open, l_close = (_("职工"), _("企业"), _("报名状态"), _("报名时间"),
                                                                 _("（"), _("）"))
    l_withdraw, withdraw_url = _("退出"), url_pattern("training.withdraw", "enrolment_id")
    csrf = csrf_field_html() if may_withdraw and items else ""
    out = []
    for e in items:
        position = positions.get(e.id)
        place = " · " + _("第 %(n)d 位", n=position) if position else ""
        withdraw = (f'<form method="post" action="{withdraw_url % e.id}">{csrf}<button class="btn btn-sm '
                    f'btn-outline-secondary" type="submit">{l_withdraw}</button></form>'
                    if may_withdraw and e.enterprise_id == my_enterprise and e.status in ("confirmed", "waitlisted")
                    else "")
        out.append(
            f'\n  <tr><td data-label="{l_worker}" class="cell-primary">{esc(e.worker_name)}'
            f'{f"{l_open}{esc(e.employee_no)}{l_close}" if e.employee_no else ""}</td><td data-label="{l_enterprise}">'
            f'{esc(e.enterprise_name or "")}</td><td data-label="{l_status}"><span class="badge text-bg-'
            f'{_ENROLMENT_COLOURS.get(e.status, "light")}" data-testid="enrolment-status">'
            f'{esc(statuses.get(e.status, e.status))}{place}</span></td><td data-label="{l_time}">'
            f'{esc(when(e.created_at))}</td><td class="cell-action">{withdraw}</td></tr>\n  ')
    return Markup("".join(out))
