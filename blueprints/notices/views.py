"""The two posts of the objection flow; both go back to the page of the notice's subject.

- POST /notices/<notice_id>/objections: any logged-in person who may see the subject (else 404)
  objects under their real name while the notice runs;
- POST /notices/objections/<objection_id>/resolve: the notice's owner (today union admins; anyone
  else who may see the subject: 403) resolves it as upheld or dismissed, with a note.
"""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import flash_form_errors, run_action
from blueprints.forms import ObjectionForm, ResolveForm
from blueprints.notices import bp
from services.common import notices


def _back(notice, owner: bool = False):
    endpoint, args = notices.subject_of(notice).back_to(notice.subject_id, owner=owner)
    return redirect(url_for(endpoint, **args))


@bp.route("/<int:notice_id>/objections", methods=["POST"])
@roles_required()
def object_to(notice_id: int):
    actor = current_user._get_current_object()
    notice = notices.get_notice(notice_id, seen_by=actor)
    form = ObjectionForm()
    if form.validate_on_submit():
        run_action(notices.file_objection, actor, notice, form.body.data, success=notices.subject_of(notice).filed,
                   once_form=form)
    else:
        flash_form_errors(form)
    return _back(notice)


@bp.route("/objections/<int:objection_id>/resolve", methods=["POST"])
@roles_required()
def resolve(objection_id: int):
    actor = current_user._get_current_object()
    objection = notices.get_objection(objection_id, seen_by=actor)
    notice = objection.notice
    notices.require_owner(actor, notice)
    form = ResolveForm()
    if form.validate_on_submit():
        run_action(notices.resolve_objection, actor, objection, form.outcome.data == "upheld", form.note.data,
                   success=notices.subject_of(notice).resolved)
    else:
        flash_form_errors(form)
    return _back(notice, owner=True)
