"""Routes of the titles area (craftsman titles, honour roll, growth record)."""

from datetime import UTC, datetime, timedelta

from core import clock
from models import db
from services.titles import awards, nominations, rounds, types
from tests.route_rules import Rule, everyone, logged_in, only

CITATION = "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。"


def _round(world):
    """An open round with a nomination of worker_b (enterprise B) and one award on notice."""
    if getattr(world, "_title_round", None) is None:
        types.ensure_default_titles()
        kind = types.title_types()[0]
        kind.min_skill_level = 0
        kind.min_years_in_trade = 0
        title_round = rounds.open_round(world.admin, kind, clock.today().year, clock.now() + timedelta(days=30))
        nomination = nominations.nominate(world.hr_b, title_round, world.worker_b, CITATION)
        nominations.review_nomination(world.admin, nomination, True, "")
        world._award = awards.award(world.admin, nomination)
        db.session.commit()
        world._title_round, world._nomination = title_round, nomination
    return world._title_round


def round_args(world):
    return {"round_id": _round(world).id}


def nomination_args(world):
    _round(world)
    return {"nomination_id": world._nomination.id}


def award_args(world):
    _round(world)
    return {"award_id": world._award.id}


def final_award_args(world):
    """The award, made final (a certificate exists only then)."""
    from models.titles import AWARD_FINAL

    _round(world)
    world._award.status = AWARD_FINAL
    db.session.commit()
    return {"award_id": world._award.id}


def noticed_round(world):
    """A round whose awards are on public notice (published in the past with the clock moved)."""
    title_round = _round(world)
    title_round.deadline = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    awards.publish_awards(world.admin, title_round)
    db.session.commit()
    return {"round_id": title_round.id}


def objection_args(world):
    from services.common import notices

    noticed_round(world)
    objection = notices.file_objection(world.worker_a, awards.round_notice(world._title_round),
                                       "请核实该职工的竞赛成绩是否属实。")
    db.session.commit()
    return {"objection_id": objection.id}


ADMIN = {"admin": 200}
ADMIN_POST = {"admin": 302}
HR_ADMIN = {"hr_a": 200, "hr_b": 200, "admin": 200}

RULES = [
    logged_in("titles.index"),
    only("titles.type_create", ADMIN),
    only("titles.type_create", ADMIN, method="POST", note="(empty form)", data=lambda w: {"name": ""}),
    only("titles.type_edit", ADMIN, url_args=lambda w: (types.ensure_default_titles(), db.session.commit(),
                                                        {"type_id": types.title_types()[0].id})[-1]),
    only("titles.type_edit", ADMIN, method="POST", note="(no name)", data=lambda w: {"name": ""},
         url_args=lambda w: (types.ensure_default_titles(), db.session.commit(),
                             {"type_id": types.title_types()[0].id})[-1]),
    only("titles.round_create", ADMIN),
    only("titles.round_create", ADMIN, method="POST", note="(empty form)", data=lambda w: {"year": ""}),
    only("titles.round_detail", {**HR_ADMIN, "town_a": 200, "town_b": 200}, url_args=round_args),
    only("titles.nominate", HR_ADMIN, url_args=round_args),
    only("titles.nominate", {"hr_a": 404, "hr_b": 200, "admin": 200}, method="POST", note="(worker of B)",
         url_args=round_args, data=lambda w: {"worker": w.worker_b.id, "citation": "短"}),
    only("titles.round_publish", ADMIN_POST, method="POST", url_args=round_args,
         data=lambda w: {"working_days": "5"}),
    only("titles.round_finalise", ADMIN_POST, method="POST", url_args=round_args),
    only("titles.nomination_detail", {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=nomination_args),
    only("titles.nomination_file", {"hr_a": 404, "hr_b": 404, "admin": 404, "town_a": 404, "town_b": 404},
         note="(no such file)",
         url_args=lambda w: {**nomination_args(w), "file_id": 999999}),
    only("titles.nomination_review", ADMIN_POST, method="POST", url_args=nomination_args,
         data=lambda w: {"decision": "approve"}),
    only("titles.nomination_award", ADMIN_POST, method="POST", url_args=nomination_args),
    only("titles.nomination_withdraw", {"hr_a": 404, "hr_b": 302, "admin": 302}, method="POST",
         url_args=nomination_args),
    logged_in("titles.round_notice", url_args=noticed_round),
    only("titles.award_revoke", ADMIN_POST, method="POST", url_args=award_args,
         data=lambda w: {"reason": "弄虚作假"}),
    Rule("titles.award_certificate", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200,
                                      "admin": 200, "town_a": 404, "town_b": 200}, url_args=final_award_args),
    Rule("titles.award_certificate", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 404,
                                      "admin": 404, "town_a": 404, "town_b": 404},
         url_args=award_args, note="(on notice: no certificate yet)"),
    everyone("titles.honour_roll"),
    everyone("titles.verify", 302, note="(old address: to the one verification page)"),
    everyone("titles.verify_code", 302, url_args=lambda w: {"code": "no-such-code"}),
    logged_in("titles.my_growth", 302),
    only("titles.growth_record", {"hr_a": 404, "hr_b": 200, "admin": 200, "worker_a": 404, "judge": 404,
                                  "town_a": 404, "town_b": 200},
         url_args=lambda w: {"user_id": w.worker_b.id}, others=404),
]
