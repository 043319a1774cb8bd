"""Skills training (技能培训): HTTP only, every rule is in services/training/.

View modules, each imported below once `bp` exists (endpoints keep their function names).
Forms in forms.py.
"""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from blueprints.training import (  # noqa: E402,F401
    attendance,
    completion,
    enrolment,
    money,
    programmes,
    report_records,
)
