"""Routes of the competitions area (objects from tests.factories_competitions.scenario).

The usual target is enterprise B's: worker_b's entries, certificate and promotion, so hr_a gets 404
and hr_b 200. The judge belongs to enterprise B: worker_b's entry is a conflict of interest (404).
"""

from tests.factories_competitions import scenario
from tests.route_rules import LOGGED_IN, Rule, everyone, logged_in, only


def _c(key):
    return lambda world: {"competition_id": scenario(world)[key].id}


def _r(key):
    return lambda world: {"registration_id": scenario(world)[key].id}


def _judge_entry(key):
    def args(world):
        s = scenario(world)
        return {"competition_id": s["scoring"].id, "registration_id": s[key].id}
    return args


def _b_own(world):
    """An open selection contest (选拔赛) owned by enterprise B (issue 14)."""
    from tests.factories_competitions import CompetitionFactory

    return {"competition_id": CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                                 level="enterprise").id}


def _b_final(world):
    """Enterprise B's final selection contest with worker_b first (issue 14)."""
    from decimal import Decimal

    from models import db
    from models.competitions import CONFIRMED, FINAL, CompetitionRegistration, CompetitionResult
    from tests.factories_competitions import CompetitionFactory

    source = CompetitionFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                level="enterprise", status=FINAL)
    entry = CompetitionRegistration(competition=source, worker=world.worker_b, enterprise_id=world.enterprise_b.id,
                                    status=CONFIRMED, competitor_no=1)
    db.session.add(entry)
    db.session.flush()
    db.session.add(CompetitionResult(competition_id=source.id, registration_id=entry.id, theory=Decimal(90),
                                     practical=Decimal(90), total=Decimal(90), judges=3, rank=1, position=1))
    db.session.commit()
    return {"competition_id": source.id}


def _b_town(status="open"):
    """A competition of enterprise B's town (镇街级, issue 14): run by town_b, overseen by the city."""
    def args(world):
        from tests.factories_competitions import CompetitionFactory

        return {"competition_id": CompetitionFactory(owner_level="town", owner_town_id=world.enterprise_b.town_id,
                                                     level="town", status=status).id}
    return args


ADMIN_GET = {"admin": 200}
ADMIN_POST = {"admin": 302}
HR_AND_ADMIN = {"hr_a": 200, "hr_b": 200, "admin": 200}
# A competition's panel may hold workers and HR of an enterprise's own contest (issue 14): off the panel
# they find nothing to mark (404), and an empty list of their competitions.
OFF_PANEL = {"worker_a": 404, "hr_a": 404, "hr_b": 404}
OFF_PANEL_LIST = {"worker_a": 200, "hr_a": 200, "hr_b": 200}

RULES = [
    logged_in("competitions.index"),
    only("competitions.mine", {"worker_a": 200}),
    # town officers set up their town's competitions (镇街级, issue 14)
    only("competitions.create", {**HR_AND_ADMIN, "town_a": 200, "town_b": 200}),
    only("competitions.create", {**HR_AND_ADMIN, "town_a": 200, "town_b": 200}, method="POST",
         note="(empty form)"),
    only("competitions.edit", ADMIN_GET, url_args=_c("open")),
    only("competitions.edit", ADMIN_GET, method="POST", url_args=_c("open"), note="(empty form)"),
    only("competitions.open_registration", {**ADMIN_POST, "hr_a": 404, "hr_b": 404, "town_a": 404, "town_b": 404},
         method="POST", url_args=_c("draft")),
    # a town's competition: its officers run it, the city and B's people see it, A's side finds nothing
    only("competitions.edit", {"town_b": 200, "hr_a": 404, "town_a": 404}, url_args=_b_town(),
         note="(B's town's own)"),
    only("competitions.open_registration", {"town_b": 302, "hr_a": 404, "hr_b": 404, "town_a": 404}, method="POST",
         url_args=_b_town("draft"), note="(B's town's draft)"),
    Rule("competitions.show", {"anonymous": 302, "worker_a": 404, "judge": 200, "hr_a": 404, "hr_b": 200,
                               "admin": 200, "town_a": 404, "town_b": 200}, url_args=_b_town(),
         note="(B's town's own)"),
    Rule("competitions.show", {"anonymous": 302, "worker_a": 404, "judge": 200, "hr_a": 404, "hr_b": 200,
                               "admin": 200, "town_a": 404, "town_b": 200}, url_args=_b_final,
         note="(enterprise B's final contest: the city and B's town see its ranking read-only)"),
    only("competitions.judges", {"town_b": 200, "hr_a": 404, "town_a": 404}, url_args=_b_town(),
         note="(B's town's own)"),
    only("competitions.start_scoring", ADMIN_POST, method="POST", url_args=_c("open")),
    logged_in("competitions.show", url_args=_c("open")),
    only("competitions.show", {**dict.fromkeys(LOGGED_IN, 404), "admin": 200}, url_args=_c("draft"),
         note="(draft)"),
    Rule("competitions.show", {"anonymous": 302, "worker_a": 404, "judge": 200, "hr_a": 404, "hr_b": 200,
                               "admin": 200, "town_a": 404, "town_b": 200}, url_args=_b_own,
         note="(enterprise B's own; B's town sees it read-only)"),
    only("competitions.register", {"worker_a": 302}, method="POST", url_args=_c("open")),
    only("competitions.withdraw", {"worker_a": 404, "hr_a": 404, "hr_b": 302}, method="POST",
         url_args=_r("open_b")),
    only("competitions.enrol", {"hr_a": 200, "hr_b": 200}, url_args=_c("open")),
    only("competitions.enrol", {"hr_a": 200, "hr_b": 200}, method="POST", url_args=_c("open"),
         note="(empty form)"),
    only("competitions.enrol_team", {"hr_a": 200, "hr_b": 200}, method="POST", url_args=_c("open"),
         note="(empty form)"),
    only("competitions.enrol_upload", {"hr_a": 200, "hr_b": 200}, method="POST", url_args=_c("open"),
         note="(no file)"),
    # town officers see the list, of their own town's entries only (read-only)
    only("competitions.registrations", {**HR_AND_ADMIN, "town_a": 200, "town_b": 200}, url_args=_c("open")),
    only("competitions.approve", {**ADMIN_POST, "hr_a": 404, "town_a": 404}, method="POST", url_args=_r("open_b")),
    only("competitions.reject", {**ADMIN_POST, "hr_a": 404, "town_a": 404}, method="POST", url_args=_r("open_b"),
         data=lambda w: {"reason": "资格不符"}),
    only("competitions.recommend", {"hr_a": 404, "hr_b": 302, "town_a": 404}, method="POST", url_args=_b_final,
         data=lambda w: {"target_id": str(scenario(w)["open"].id), "top_n": "1"}),
    only("competitions.judges", ADMIN_GET, url_args=_c("scoring")),
    only("competitions.judges", ADMIN_GET, method="POST", url_args=_c("scoring"), note="(no judge)"),
    only("competitions.remove_judge", ADMIN_POST, method="POST",
         url_args=lambda w: {"competition_id": scenario(w)["scoring"].id,
                             "assignment_id": scenario(w)["assignment"].id}),
    only("competitions.print_sign_in", ADMIN_GET, url_args=_c("scoring")),
    only("competitions.print_score_sheets", ADMIN_GET, url_args=_c("scoring")),
    only("competitions.judging", {"judge": 200, **OFF_PANEL_LIST}),
    only("competitions.judge_queue", {"judge": 200, **OFF_PANEL}, url_args=_c("scoring")),
    only("competitions.judge_marks", {"judge": 200, **OFF_PANEL}, url_args=_judge_entry("scoring_a")),
    only("competitions.judge_marks", {"judge": 404, **OFF_PANEL}, url_args=_judge_entry("scoring_b"),
         note="(own enterprise)"),
    only("competitions.judge_marks", {"judge": 302, **OFF_PANEL}, method="POST", url_args=_judge_entry("scoring_a"),
         data=lambda w: {f"item_{i.id}": "80" for i in scenario(w)["scoring"].items}),
    only("competitions.judge_marks", {"judge": 404, **OFF_PANEL}, method="POST", url_args=_judge_entry("scoring_b"),
         data=lambda w: {f"item_{i.id}": "99" for i in scenario(w)["scoring"].items},
         note="(crafted POST, own enterprise)"),
    only("competitions.scores", ADMIN_GET, url_args=_c("scoring")),
    only("competitions.scores", ADMIN_POST, method="POST", url_args=_c("scoring"),
         data=lambda w: {f"theory_{scenario(w)['scoring_a'].id}": "85"}),
    only("competitions.entry_marks", ADMIN_GET, url_args=_judge_entry("scoring_a")),
    only("competitions.entry_marks", {"admin": 404}, url_args=_judge_entry("final_b"),
         note="(an entry of another competition)"),
    only("competitions.import_theory", ADMIN_GET, method="POST", url_args=_c("scoring"), note="(no file)"),
    only("competitions.sign_off", ADMIN_POST, method="POST", url_args=_c("scoring")),
    only("competitions.publish", ADMIN_POST, method="POST", url_args=_c("scoring")),
    only("competitions.finalise", ADMIN_POST, method="POST", url_args=_c("final")),
    only("competitions.reopen", ADMIN_POST, method="POST", url_args=_c("final"),
         data=lambda w: {"reason": "异议成立"}),
    everyone("competitions.public_list"),
    everyone("competitions.public_results", url_args=_c("final")),
    Rule("competitions.public_results", dict.fromkeys(("anonymous", *LOGGED_IN), 404), url_args=_c("open"),
         note="(not published)"),
    everyone("competitions.verify", 302, note="(old address: to the one verification page)"),
    everyone("competitions.verify", 302, url_args=lambda w: {"code": scenario(w)["certificate"].code},
             note="(with code)"),
    Rule("competitions.certificate_pdf", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404,
                                          "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda w: {"certificate_id": scenario(w)["certificate"].id}),
    only("competitions.certificate_list", ADMIN_GET, url_args=_c("final")),
    only("competitions.revoke_certificate", {**ADMIN_GET, "hr_a": 404},
         url_args=lambda w: {"certificate_id": scenario(w)["certificate"].id}),
    only("competitions.revoke_certificate", {**ADMIN_GET, "hr_a": 404}, method="POST",
         url_args=lambda w: {"certificate_id": scenario(w)["certificate"].id},
         data=lambda w: {"reason": "成绩更正"}, note="(not confirmed: the form again)"),
    only("competitions.revoke_certificate", {**ADMIN_POST, "hr_a": 404}, method="POST",
         url_args=lambda w: {"certificate_id": scenario(w)["certificate"].id},
         data=lambda w: {"reason": "成绩更正", "confirm": "y"}),
    only("competitions.promotions", HR_AND_ADMIN),
    only("competitions.promotion", {"hr_a": 404, "hr_b": 200, "admin": 200},
         url_args=lambda w: {"promotion_id": scenario(w)["promotion"].id}),
    only("competitions.promotion", {"hr_a": 404, "hr_b": 200, "admin": 200}, method="POST",
         url_args=lambda w: {"promotion_id": scenario(w)["promotion"].id}, note="(empty form)"),
    # town officers export their town's entries (read-only, like the list)
    only("competitions.export_registrations", {**HR_AND_ADMIN, "town_a": 200, "town_b": 200}, url_args=_c("open")),
    only("competitions.export_registrations", {"hr_a": 302, "hr_b": 302, "admin": 302, "town_a": 302, "town_b": 302},
         method="POST",
         url_args=_c("open"), note="(starts the job)"),
    only("competitions.export_scores", ADMIN_GET, url_args=_c("scoring")),
    only("competitions.export_scores", ADMIN_POST, method="POST", url_args=_c("scoring"), note="(starts the job)"),
    only("competitions.export_results", ADMIN_GET, url_args=_c("final")),
    only("competitions.export_results", ADMIN_POST, method="POST", url_args=_c("final"), note="(starts the job)"),
]
