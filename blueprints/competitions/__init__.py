"""Skills competitions (技能竞赛): HTTP only, every rule is in services/competitions/.

View modules, each imported below once `bp` exists (endpoints keep their function names):
- manage: the lists (all, the worker's own entries, the judge's panels) and setting a competition up
- entries: the competition page, registering and withdrawing, HR's entries, the union's review
- judging: the panel, a judge's marks, theory marks, sign-off
- results: notice (公示), reopening, final results, public pages, export of the ranking (objections:
  blueprints/notices)
- certificates: certificate PDF, the admin's certificate list and revocation, the old public check (it
  redirects to blueprints/verify); promotion recommendations
- documents: server-made PDFs (sign-in sheet, score sheets, the competitor's result notice)
- drill: the lists behind the yearly report's figures (entries across competitions) and their exports
Forms in forms.py, shared view helpers in helpers.py.
"""

from flask import Blueprint

from models.skills import level

bp = Blueprint("competitions", __name__, url_prefix="/competitions")


@bp.context_processor
def competition_helpers():
    return {"skill_label": level}


from blueprints.competitions import certificates, documents, drill, entries, judging, manage, results  # noqa: E402,F401
