"""Routes of the city's top ten innovation achievements (全市十大创新成果), for every persona.

The list is a city honour every officer reads (admins, town officers, HR, any town or enterprise);
only the union admin designates and removes. Proposals are of enterprise B."""

from __future__ import annotations

from models import db
from tests.route_rules import only

OFFICERS = {"admin": 200, "hr_a": 200, "hr_b": 200, "town_a": 200, "town_b": 200}


def _valid_proposal(world):
    from tests.factories_proposals import ProposalFactory

    return ProposalFactory(proposer=world.worker_b, status="valid", title="快换模具定位销")


def _designated(world):
    from services.proposals import achievements

    achievement = achievements.designate(world.admin, _valid_proposal(world))
    db.session.commit()
    return {"achievement_id": achievement.id}


def _listed(world):
    _designated(world)
    return {"year": 2026}


RULES = [
    only("proposals.top_ten", OFFICERS, url_args=_listed),
    only("proposals.top_ten", OFFICERS, url_args=lambda w: _designated(w) and {"first": 2025, "last": 2026},
         note="(the report's span total)"),
    only("proposals.top_ten", OFFICERS, url_args=lambda w: {"q": "快换", "proposal": _valid_proposal(w).id},
         note="(admin's search and choice)"),
    only("proposals.top_ten_designate", {"admin": 400}, method="POST", data=lambda w: {"citation": ""},
         note="(nothing chosen)"),
    only("proposals.top_ten_designate", {"admin": 302}, method="POST",
         data=lambda w: {"proposal_id": str(_valid_proposal(w).id), "position": "2", "citation": "降本增效"}),
    only("proposals.top_ten_remove", {"admin": 302}, method="POST", url_args=_designated),
]
