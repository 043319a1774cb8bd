"""Routes of the one public verification page (blueprints/verify) and the server-made PDFs."""

from tests.factories_competitions import scenario
from tests.route_rules import Rule, everyone, only
from tests.route_rules.mentorship import PAIR_VISIBLE, nomination_args


def _finalnomination_args(world):
    """A selected nomination of a final selection, with its certificate's code."""
    from models import db
    from models.mentorship import ExcellentNomination

    args = nomination_args(world)
    nomination = db.session.get(ExcellentNomination, args["nomination_id"])
    nomination.selected, nomination.certificate_code = True, "K7Q4M9XP3RTW"
    db.session.commit()
    return args

RULES = [
    everyone("verify.check"),
    everyone("verify.check", url_args=lambda w: {"code": scenario(w)["certificate"].code}, note="(a code)"),
    everyone("verify.check", url_args=lambda w: {"code": "K7Q4-M9XP-3RTW"}, note="(unknown code)"),
]

RULES += [
    only("competitions.sign_in_pdf", {"admin": 200}, url_args=lambda w: {"competition_id": scenario(w)["scoring"].id}),
    only("competitions.score_sheets_pdf", {"admin": 200},
         url_args=lambda w: {"competition_id": scenario(w)["scoring"].id}),
    # worker_a has no result in the finished competition (worker_b has): 404, as on the page
    only("competitions.result_notice_pdf", {"worker_a": 404},
         url_args=lambda w: {"competition_id": scenario(w)["final"].id}),
    only("titles.growth_record_pdf", {"hr_a": 404, "hr_b": 200, "admin": 200, "worker_a": 404, "judge": 404,
                                      "town_a": 404, "town_b": 200},
         url_args=lambda w: {"user_id": w.worker_b.id}, others=404),
    only("titles.growth_record_pdf", {"worker_a": 200, "hr_a": 200, "admin": 200, "town_a": 200},
         url_args=lambda w: {"user_id": w.worker_a.id}, others=404, note="(own)"),
]

RULES += [
    Rule("mentorship.excellent_certificate", {"anonymous": 302, **PAIR_VISIBLE}, url_args=_finalnomination_args),
    Rule("mentorship.excellent_certificate", {"anonymous": 302, **PAIR_VISIBLE, "hr_b": 404, "admin": 404,
                                              "town_b": 404},
         url_args=nomination_args, note="(not selected: no certificate)"),
]
