"""The Excel export of a campaign is a background job ("proposals.export"): the file has every row,
user text never becomes a formula, times are Shanghai's, headers carry their units, progress comes per
batch, and the job's queries and memory do not grow with the number of proposals."""

from __future__ import annotations

import io
import tracemalloc
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from models import Job, db
from models.jobs import JOB_DONE, JOB_FAILED
from models.proposal_tallies import rebuild
from models.proposals import Proposal
from services.errors import NotAllowed
from services.jobs import queue
from services.proposals import export
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.querycount import count_queries


def add_proposals(campaign, worker, count: int, start: int = 0) -> None:
    """`count` proposals written in bulk (Core), tallies recounted as a bulk load must."""
    db.session.execute(insert(Proposal), [
        {"campaign_id": campaign.id, "enterprise_id": worker.enterprise_id, "proposer_id": worker.id,
         "kind": "improvement", "title": f"第{i:05d}号节能降耗提案：空压机余热回收与管路改造", "problem": "",
         "solution": "", "expected_benefit": "", "status": "valid", "estimated_savings": Decimal(i),
         "submitted_at": SUBMIT_TIME, "judge_count": 0, "created_at": SUBMIT_TIME, "updated_at": SUBMIT_TIME}
        for i in range(start, start + count)
    ])
    rebuild(db.session, [campaign.id])
    db.session.commit()


def rows_of(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


class Report:
    """A stand-in for the job's progress reporter."""

    def __init__(self):
        self.calls: list[tuple[int, int]] = []
        self.done = 0

    def __call__(self, done, total=None):
        self.done = done
        self.calls.append((done, total))


def test_the_export_job_writes_every_row_text_as_text_and_shanghai_times(world):
    campaign = CampaignFactory()
    formula = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="=1+1",
                              submitted_at=datetime.fromisoformat("2026-05-10T17:30:00+00:00"))
    ProposalFactory(campaign=campaign, proposer=world.worker_b, title="乙企业<提案>", status="scored",
                    score=Decimal("81.25"))
    ProposalFactory(proposer=world.worker_b, title="另一个活动的提案")
    job = export.start_export(world.admin, campaign, "zh_Hans_CN")
    db.session.commit()  # the job runs after the commit (inline in tests)
    db.session.expire_all()
    assert job.status == JOB_DONE and job.done == 2 and job.total == 2
    _job, data = queue.job_file(world.admin, job.id)
    rows = rows_of(data)
    assert rows[0][0] == "编号" and "预计年节约额（元）" in rows[0] and "综合得分（分）" in rows[0]
    assert [r[0] for r in rows[1:]] == [formula.id, formula.id + 1]
    assert rows[1][2] == "=1+1"  # text, not a formula: openpyxl reads a formula back as "=1+1" too, so
    sheet = load_workbook(io.BytesIO(data)).active  # check the cell's type in the full reader
    assert sheet.cell(row=2, column=3).data_type == "s"
    submitted = rows[0].index("提交时间")
    assert rows[1][submitted] == datetime(2026, 5, 11, 1, 30)  # 17:30 UTC is 01:30 the next day in Shanghai
    assert rows[2][4] == world.enterprise_b.name and rows[2][11] == 81.25


def test_the_export_job_reports_progress_per_batch_and_its_queries_do_not_grow(world, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 100)
    campaign = CampaignFactory()
    add_proposals(campaign, world.worker_a, 10)
    report = Report()
    with count_queries() as small:
        assert len(rows_of(export.write_workbook(world.admin, campaign, report))) == 11
    add_proposals(campaign, world.worker_a, 990, start=10)
    report = Report()
    with count_queries() as large:
        assert len(rows_of(export.write_workbook(world.admin, campaign, report))) == 1_001
    assert large.count == small.count
    assert [done for done, _total in report.calls] == [*range(100, 1_001, 100), 1_000]
    assert all(total == 1_000 for _done, total in report.calls)


def peak_memory_of_export(actor, campaign) -> int:
    tracemalloc.start()
    try:
        data = export.write_workbook(actor, campaign)
        return tracemalloc.get_traced_memory()[1] - len(data)
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(world):
    campaign = CampaignFactory()
    add_proposals(campaign, world.worker_a, 2_000)
    small = peak_memory_of_export(world.admin, campaign)
    add_proposals(campaign, world.worker_a, 6_000, start=2_000)
    large = peak_memory_of_export(world.admin, campaign)
    # Holding 6,000 more rows (ORM rows or openpyxl cells) would add well over 10 MB.
    assert large - small < 3 * 1024 * 1024, f"{small / 2**20:.1f} MB -> {large / 2**20:.1f} MB"


def test_only_admins_export_and_the_job_rechecks(world):
    campaign = CampaignFactory()
    with pytest.raises(NotAllowed):
        export.start_export(world.hr_a, campaign, "zh_Hans_CN")
    with pytest.raises(NotAllowed):
        export.write_workbook(world.hr_a, campaign)
    job = queue.enqueue(world.hr_a, export.KIND, campaign_id=campaign.id)  # a crafted job
    db.session.commit()
    assert db.session.get(Job, job.id).status == JOB_FAILED
