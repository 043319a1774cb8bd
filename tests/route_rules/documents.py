"""Routes of the one public verification page (blueprints/verify) and the server-made PDFs."""

from tests.factories_competitions import scenario
from tests.route_rules import everyone, only

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
    only("titles.growth_record_pdf", {"hr_a": 404, "hr_b": 200, "admin": 200, "worker_a": 404, "judge": 404},
         url_args=lambda w: {"user_id": w.worker_b.id}, others=404),
    only("titles.growth_record_pdf", {"worker_a": 200, "hr_a": 200, "admin": 200},
         url_args=lambda w: {"user_id": w.worker_a.id}, others=404, note="(own)"),
]
