"""The Excel export streams: rows go from a yield_per query straight into a write-only workbook, so
memory does not grow with the number of proposals, and 50,000 proposals export completely."""

from __future__ import annotations

import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from sqlalchemy import insert

from models import db
from models.proposals import Proposal
from services.errors import NotAllowed
from services.proposals import export
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory


def add_proposals(campaign, worker, count: int, start: int = 0) -> None:
    db.session.execute(insert(Proposal), [
        {"campaign_id": campaign.id, "enterprise_id": worker.enterprise_id, "proposer_id": worker.id,
         "kind": "improvement", "title": f"第{i:05d}号节能降耗提案：空压机余热回收与管路改造", "problem": "",
         "solution": "", "expected_benefit": "", "status": "valid", "estimated_savings": Decimal(i),
         "submitted_at": SUBMIT_TIME, "judge_count": 0, "created_at": SUBMIT_TIME, "updated_at": SUBMIT_TIME}
        for i in range(start, start + count)
    ])
    db.session.commit()


def rows_in(path) -> int:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").count(b"<row ")


def peak_memory_of_export(actor, campaign, target) -> int:
    tracemalloc.start()
    try:
        export.write_workbook(actor, campaign, target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(world, tmp_path):
    campaign = CampaignFactory()
    add_proposals(campaign, world.worker_a, 2_000)
    small = peak_memory_of_export(world.admin, campaign, tmp_path / "small.xlsx")
    add_proposals(campaign, world.worker_a, 6_000, start=2_000)
    large = peak_memory_of_export(world.admin, campaign, tmp_path / "large.xlsx")
    assert rows_in(tmp_path / "large.xlsx") == 8_001
    # Holding 6,000 more rows (ORM rows or openpyxl cells) would add well over 10 MB.
    assert large - small < 3 * 1024 * 1024, f"{small / 2**20:.1f} MB -> {large / 2**20:.1f} MB"


def test_fifty_thousand_rows_export_completely(world, tmp_path):
    campaign = CampaignFactory()
    add_proposals(campaign, world.worker_a, 50_000)
    target = tmp_path / "export.xlsx"
    assert export.write_workbook(world.admin, campaign, target) == 50_000
    assert rows_in(target) == 50_001


def test_only_admins_export(world):
    with pytest.raises(NotAllowed):
        export.write_workbook(world.hr_a, CampaignFactory(), "/dev/null")
