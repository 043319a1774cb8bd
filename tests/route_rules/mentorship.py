"""Routes of the mentorship area (名师带徒). Targets are a pair of enterprise B whose people are not
among the personas, so hr_a gets 404, hr_b and admin 200, a worker of another pair 404."""

from datetime import date

from tests.route_rules import Rule, logged_in, only


def _pair_b(world, **kw):
    from tests.factories_mentorship import MentorPairFactory

    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b, **kw)
    return pair


def _pair_args(world):
    return {"pair_id": _pair_b(world).id}


def _proposed_pair_args(world):
    return {"pair_id": _pair_b(world, status="proposed", activated_on=None).id}


def _checkin_args(world):
    from models import db
    from models.mentorship import CheckIn

    pair = _pair_b(world)
    checkin = CheckIn(pair_id=pair.id, checkin_date=date(2026, 2, 1), hours=2, taught="讲解", skill_points="针距")
    db.session.add(checkin)
    db.session.commit()
    return {"checkin_id": checkin.id}


def _completed_pair_args(world):
    from models import db
    from models.mentorship import Assessment

    pair = _pair_b(world, status="completed", ended_on=date(2026, 1, 10))
    db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 1, 10), grade="pass", level_reached=2,
                              score=80, assessor="考评员"))
    db.session.commit()
    return {"pair_id": pair.id}


def _nomination_args(world):
    from models import db
    from models.mentorship import ExcellentNomination, ExcellentRound

    pair_id = _completed_pair_args(world)["pair_id"]
    selection = ExcellentRound(year=2026, quota=100, selected_count=0, published=False)
    db.session.add(selection)
    db.session.flush()
    nomination = ExcellentNomination(round_id=selection.id, pair_id=pair_id, enterprise_id=world.enterprise_b.id,
                                     citation="师徒同心，技艺精进，成绩突出。")
    db.session.add(nomination)
    db.session.commit()
    return {"nomination_id": nomination.id}


def _round_args(world):
    from models import db
    from models.mentorship import ExcellentRound

    db.session.add(ExcellentRound(year=2026, quota=100, selected_count=0, published=False))
    db.session.commit()
    return {"year": 2026}


def noticed_round_args(world):
    """A round on public notice (published through the service, one pair selected)."""
    from models import db
    from models.mentorship import ExcellentNomination
    from services.mentorship import excellent

    if getattr(world, "_noticed_year", None) is None:
        nomination = db.session.get(ExcellentNomination, _nomination_args(world)["nomination_id"])
        excellent.select(world.admin, nomination)
        excellent.publish(world.admin, 2026)
        db.session.commit()
        world._noticed_year = 2026
    return {"year": world._noticed_year}


_noticed_year_args = noticed_round_args
nomination_args = _nomination_args  # used by route_rules/documents.py


def objection_args(world):
    from models import db
    from services.common import notices
    from services.mentorship import excellent

    year = noticed_round_args(world)["year"]
    notice = excellent.round_notice(excellent.get_round(year))
    objection = notices.file_objection(world.worker_a, notice, "该徒弟的出师考核成绩登记有误，请核查。")
    db.session.commit()
    return {"objection_id": objection.id}


# town_b: the officer of B's town sees B's pairs (read-only); town_a: another town, 404
PAIR_VISIBLE = {"worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200}

RULES = [
    logged_in("mentorship.index"),
    only("mentorship.pairs", {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}),
    only("mentorship.export", {"hr_a": 200, "hr_b": 200, "admin": 200}),
    only("mentorship.export", {"hr_a": 302, "hr_b": 302, "admin": 302}, method="POST",
         note="(starts the job, shows its page)"),
    # the pairs behind a figure of the yearly report, for the report's scope (404 outside the reader's reach)
    only("mentorship.pairs", {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200},
         url_args=lambda w: {"figure": "formed", "year": 2026}, note="report figure"),
    only("mentorship.pairs", {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda w: {"figure": "formed", "year": 2026, "enterprise": w.enterprise_b.id},
         note="report figure, enterprise B"),
    only("mentorship.pairs", {"hr_a": 404, "hr_b": 404, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda w: {"figure": "formed", "first": 2025, "last": 2026, "town": w.enterprise_b.town_id},
         note="report figure, town of B"),
    only("mentorship.export", {"hr_a": 404, "hr_b": 200, "admin": 200},
         url_args=lambda w: {"figure": "completed", "year": 2026, "enterprise": w.enterprise_b.id},
         note="report figure, enterprise B"),
    only("mentorship.pair_create", {"hr_a": 200, "hr_b": 200}),
    only("mentorship.pair_create", {"hr_a": 200, "hr_b": 200}, method="POST", note="(empty form)"),
    Rule("mentorship.pair_show", {"anonymous": 302, **PAIR_VISIBLE}, url_args=_pair_args),
    Rule("mentorship.pair_agreement", {"anonymous": 302, **PAIR_VISIBLE}, url_args=_pair_args),
    Rule("mentorship.pair_agreement_pdf", {"anonymous": 302, **PAIR_VISIBLE}, url_args=_pair_args),
    # Only the two people of the pair confirm: HR and admins see the pair but may not (403).
    Rule("mentorship.pair_confirm", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 403, "admin": 403, "town_b": 403},
         method="POST", url_args=_proposed_pair_args),
    Rule("mentorship.pair_dissolve", {"anonymous": 302, **PAIR_VISIBLE, "admin": 403, "town_b": 403},
         method="POST", url_args=_proposed_pair_args, data=lambda w: {"reason": ""}, note="(no reason)"),
    Rule("mentorship.checkin_create", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 403, "admin": 403, "town_b": 403},
         url_args=_pair_args),
    Rule("mentorship.checkin_create", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 403, "admin": 403, "town_b": 403},
         method="POST", url_args=_pair_args),
    Rule("mentorship.checkin_respond", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 403, "admin": 403, "town_b": 403},
         method="POST", url_args=_checkin_args),
    Rule("mentorship.checkin_photo", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 404, "admin": 404, "town_b": 404},
         url_args=_checkin_args, note="(no photo)"),
    only("mentorship.pair_assess", {"hr_a": 404, "hr_b": 200}, url_args=_pair_args),
    only("mentorship.pair_assess", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_pair_args,
         note="(empty form)"),
    only("mentorship.pair_end", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_pair_args,
         data=lambda w: {"end-reason": ""}, note="(no reason)"),
    only("mentorship.pair_extend", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_pair_args,
         data=lambda w: {"extend-new_end": ""}, note="(no date)"),
    only("mentorship.pair_nominate", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_completed_pair_args,
         data=lambda w: {"citation": "短"}, note="(too short)"),
    logged_in("mentorship.excellent_list"),
    only("mentorship.nomination_select", {"admin": 302}, method="POST", url_args=_nomination_args),
    only("mentorship.nomination_revoke", {"admin": 302}, method="POST", url_args=_nomination_args,
         data=lambda w: {"reason": "材料不实，予以撤销"}),
    only("mentorship.nomination_deselect", {"admin": 302}, method="POST", url_args=_nomination_args,
         note="(not selected: flashed)"),
    only("mentorship.excellent_publish", {"admin": 302}, method="POST", url_args=_round_args,
         note="(nothing selected: flashed)"),
    only("mentorship.excellent_finalise", {"admin": 302}, method="POST", url_args=_noticed_year_args,
         note="(notice running: flashed)"),
    only("mentorship.settings", {"admin": 200}),
    only("mentorship.settings", {"admin": 200}, method="POST", data=lambda w: {"max_active_apprentices": "0"},
         note="(out of range)"),
    Rule("mentorship.person", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200,
                               "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda w: {"user_id": w.worker_b.id}),
]
