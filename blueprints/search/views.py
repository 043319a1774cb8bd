"""GET /search/people?q=&for=<purpose> and GET /search/enterprises?q=: at most 20 suggestions as JSON
({"results": [{"id", "label", "detail"}]}), scoped by the purpose (services.accounts.search.PURPOSES:
an unknown purpose is 404, one the user may not pick for 403). The pages work without them: a
picker's typed text is resolved by the server when the form or filter is sent."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.search import bp
from models import Role
from services.accounts import search


def _query() -> str:
    return request.args.get("q", "")[:100]


@bp.route("/people")
@roles_required()
def people():
    found = search.search_people(current_user._get_current_object(), _query(), purpose=request.args.get("for"))
    return {"results": [{"id": person.id, "label": search.person_label(person), "detail": search.person_detail(person)}
                        for person in found]}


@bp.route("/enterprises")
@roles_required(Role.ADMIN, Role.TOWN)
def enterprises():
    found = search.search_enterprises(current_user._get_current_object(), _query(),
                                      active_only=request.args.get("active") == "1")
    return {"results": [{"id": enterprise.id, "label": enterprise.name,
                         "detail": enterprise.credit_code + ("" if enterprise.is_active else " · " + _("已停用"))}
                        for enterprise in found]}
