"""Routes of results from levels above the city (上级成绩), for every persona.

Records are of enterprise B (worker_b's), so hr_a gets 404 and hr_b 200 where HR may look."""

from __future__ import annotations

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from models import db
from tests.route_rules import only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _record(world, with_result=False):
    from services.common import uploads
    from services.honours import results

    world._contests = getattr(world, "_contests", 0) + 1  # one contest per record: a subject enters one once
    record = results.recommend_competitor(world.admin, world.worker_b.id, "province",
                                          f"福建省职业技能竞赛第{world._contests}届", date(2026, 1, 5))
    if with_result:
        record.evidence_file = uploads.save_upload(world.admin, FileStorage(io.BytesIO(PNG), filename="证书.png"),
                                                   allowed=("image",))
        record.prize, record.result_on = "second", date(2026, 1, 20)
    db.session.commit()
    return {"record_id": record.id}


def _valid_proposal(world):
    from tests.factories_proposals import ProposalFactory

    return {"proposal_id": ProposalFactory(proposer=world.worker_b, status="valid").id}


RULES = [
    only("titles.higher_list", {"hr_a": 200, "hr_b": 200, "admin": 200}),
    only("titles.higher_export", {"hr_a": 200, "hr_b": 200, "admin": 200}, method="POST", data=lambda w: {}),
    only("titles.higher_new", {"admin": 400}, method="POST", data=lambda w: {"contest": ""}, note="(empty form)"),
    only("titles.higher_new", {"admin": 302}, method="POST",
         data=lambda w: {"person_id": str(w.worker_b.id), "level": "province", "contest": "福建省职业技能竞赛",
                         "recommended_on": "2026-01-05"}),
    only("titles.higher_result", {"admin": 200}, url_args=_record),
    only("titles.higher_result", {"admin": 200}, method="POST", url_args=_record, data=lambda w: {"prize": ""},
         note="(no prize)"),
    only("titles.higher_evidence", {"hr_a": 404, "hr_b": 200, "admin": 200},
         url_args=lambda w: _record(w, with_result=True)),
    only("proposals.recommend_higher", {"admin": 302}, method="POST", url_args=_valid_proposal,
         data=lambda w: {"level": "province", "contest": "2026年福建省五小创新成果评选",
                         "recommended_on": "2026-01-05"}),
]
