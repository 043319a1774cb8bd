"""Mentor-apprentice pairing (名师带徒): the blueprint and its view modules, HTTP only; every rule is
in services/mentorship/.

View modules (endpoints are `mentorship.<function>`):
- dashboards: index (own pairs and dashboards), pairs (filtered list), export, person (a record)
- pairs: pair_create, pair_show, pair_agreement, pair_confirm, pair_dissolve, pair_assess, pair_end,
  pair_extend, pair_nominate
- checkins: checkin_create, checkin_respond, checkin_photo
- excellent: excellent_list, excellent_finalise,
  nomination_select, nomination_deselect, excellent_publish
- settings: settings
"""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("mentorship", __name__, url_prefix="/mentorship")


def current_actor():
    """The logged-in user as a plain object (services take the actor as their first argument)."""
    return current_user._get_current_object()


from blueprints.mentorship import checkins, dashboards, excellent, pairs, settings  # noqa: E402,F401
