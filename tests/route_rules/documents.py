"""Routes of the one public verification page (blueprints/verify) and the server-made PDFs."""

from tests.factories_competitions import scenario
from tests.route_rules import everyone

RULES = [
    everyone("verify.check"),
    everyone("verify.check", url_args=lambda w: {"code": scenario(w)["certificate"].code}, note="(a code)"),
    everyone("verify.check", url_args=lambda w: {"code": "K7Q4-M9XP-3RTW"}, note="(unknown code)"),
]
