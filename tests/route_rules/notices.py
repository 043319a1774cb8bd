"""Routes of the one objection flow (blueprints/notices), for a notice of each area's kind of subject.

Filing: any logged-in persona who may see the notice's subject (a refused objection is flashed and
sent back: 302); a notice whose subject the persona may not see, or no notice, is 404. Resolving:
the notice's owner (union admins: 302), anyone else who may see the subject 403, others 404.
"""

from datetime import timedelta

from core import clock
from models import db
from models.notices import Objection, PublicNotice
from services.titles import awards
from tests.factories_competitions import scenario
from tests.route_rules import LOGGED_IN, Rule, logged_in, only
from tests.route_rules import mentorship as mentorship_rules
from tests.route_rules import proposals as proposals_rules
from tests.route_rules import titles as titles_rules

BODY = "公示名单中有人的成绩与事实不符，请核实。"
RESOLUTION = {"outcome": "dismissed", "note": "经核实属实"}


def _title_notice(world):
    titles_rules.noticed_round(world)
    return {"notice_id": awards.round_notice(world._title_round).id}


def _campaign_notice(world):
    from services.proposals import results

    return {"notice_id": results.campaign_notice(proposals_rules.published(world)).id}


def _excellent_notice(world):
    from services.mentorship import excellent

    year = mentorship_rules.noticed_round_args(world)["year"]
    return {"notice_id": excellent.round_notice(excellent.get_round(year)).id}


def _hidden_notice(world):
    """A notice (with an objection) whose subject only admins see: a draft competition."""
    if getattr(world, "_hidden_notice", None) is None:
        now = clock.now()
        notice = PublicNotice(subject_type="competition", subject_id=scenario(world)["draft"].id, title="公示",
                              published_at=now - timedelta(days=1), ends_at=now + timedelta(days=5))
        db.session.add(notice)
        db.session.flush()
        objection = Objection(notice_id=notice.id, objector_id=world.admin.id, body=BODY)
        db.session.add(objection)
        db.session.commit()
        world._hidden_notice, world._hidden_objection = notice, objection
    return world._hidden_notice


HIDDEN = {**dict.fromkeys(LOGGED_IN, 404), "admin": 302}
OWNER = {"admin": 302}

RULES = [
    logged_in("notices.object_to", 302, method="POST", url_args=_title_notice, data=lambda w: {"body": BODY},
              note="(title round)"),
    logged_in("notices.object_to", 302, method="POST", url_args=_title_notice, data=lambda w: {"body": "短"},
              note="(title round, too short: flashed)"),
    logged_in("notices.object_to", 302, method="POST", url_args=_campaign_notice, data=lambda w: {"body": BODY},
              note="(proposal campaign)"),
    logged_in("notices.object_to", 302, method="POST", url_args=_excellent_notice, data=lambda w: {"body": BODY},
              note="(excellent pairs)"),
    logged_in("notices.object_to", 302, method="POST", data=lambda w: {"body": BODY},
              url_args=lambda w: {"notice_id": scenario(w)["objection"].notice_id},
              note="(competition, notice over: flashed)"),
    only("notices.object_to", HIDDEN, method="POST", data=lambda w: {"body": BODY},
         url_args=lambda w: {"notice_id": _hidden_notice(w).id}, note="(subject hidden: a draft competition)"),
    Rule("notices.object_to", {"anonymous": 302, **dict.fromkeys(LOGGED_IN, 404)}, method="POST",
         url_args=lambda w: {"notice_id": 999999}, data=lambda w: {"body": BODY}, note="(no such notice)"),
    only("notices.resolve", OWNER, method="POST", url_args=titles_rules.objection_args, data=lambda w: RESOLUTION,
         note="(title round)"),
    only("notices.resolve", OWNER, method="POST", url_args=proposals_rules.objection_args,
         data=lambda w: RESOLUTION, note="(proposal campaign)"),
    only("notices.resolve", {"worker_a": 404, "hr_a": 404, "town_a": 404, "town_b": 302}, method="POST",
         url_args=proposals_rules.t_objection_args, data=lambda w: RESOLUTION, note="(B's town's campaign)"),
    only("notices.resolve", OWNER, method="POST", url_args=mentorship_rules.objection_args,
         data=lambda w: RESOLUTION, note="(excellent pairs)"),
    only("notices.resolve", OWNER, method="POST", data=lambda w: RESOLUTION,
         url_args=lambda w: {"objection_id": scenario(w)["objection"].id}, note="(competition)"),
    only("notices.resolve", HIDDEN, method="POST", data=lambda w: RESOLUTION,
         url_args=lambda w: (_hidden_notice(w), {"objection_id": w._hidden_objection.id})[1],
         note="(subject hidden: a draft competition)"),
]
