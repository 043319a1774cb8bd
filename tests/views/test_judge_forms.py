"""The judge's scoring forms (proposals and competitions): each criterion's scale beside its weight,
attachments previewed (images) or named by type (other files), and the next item of the queue offered
after submitting. Plus the phone keyboards of typed fields."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage

from core import clock
from models import db
from models.proposals import ProposalAttachment
from services.common import uploads
from tests.factories import WorkerFactory
from tests.factories_competitions import competition_in_scoring
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory, assign

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def at_judging():
    with clock.frozen(JUDGE_TIME):
        yield


def _attach(proposal, author, content: bytes, filename: str, kind: str) -> ProposalAttachment:
    stored = uploads.save_upload(author, FileStorage(io.BytesIO(content), filename=filename), allowed=(kind,))
    attachment = ProposalAttachment(proposal_id=proposal.id, file_id=stored.id)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def test_proposal_form_states_scale_and_weight_and_previews_attachments(client, login, world, at_judging):
    campaign = CampaignFactory()
    author = WorkerFactory(enterprise=world.enterprise_a)
    proposal = ProposalFactory(campaign=campaign, proposer=author, status="valid")
    image = _attach(proposal, author, PNG, "现场照片.png", "image")
    sheet = _attach(proposal, author, PDF, "测算表.pdf", "pdf")
    assign(proposal, world.judge)
    login(client, world.judge)
    html = client.get(f"/proposals/review/{proposal.id}").text
    for criterion in campaign.criteria:
        assert f"{criterion.name}（0–10 分，权重 {criterion.weight}%）" in html
    thumb = re.search(r'<img src="([^"]+)"[^>]*data-testid="attachment-image"', html)
    assert thumb and thumb.group(1) == f"/proposals/{proposal.id}/attachments/{image.id}"
    assert client.get(thumb.group(1)).data == PNG  # through the permission-checked download route
    assert re.search(rf'href="/proposals/{proposal.id}/attachments/{sheet.id}"[^>]*>附件 2 · PDF<', html)
    assert "测算表" not in html and "现场照片" not in html  # blind: no uploaded names


def test_after_submitting_the_next_proposal_of_the_queue_is_offered(client, login, world, at_judging):
    campaign = CampaignFactory()
    first, second = (ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid") for _ in range(2))
    for proposal in (first, second):
        assign(proposal, world.judge)
    marks = {f"c{c.id}": "8" for c in campaign.criteria}
    login(client, world.judge)
    assert 'data-testid="next-proposal"' not in client.get(f"/proposals/review/{first.id}").text  # not yet submitted
    client.post(f"/proposals/review/{first.id}", data={**marks, "final": "1"})
    html = client.get(f"/proposals/review/{first.id}").text
    offer = re.search(r'href="/proposals/review/(\d+)" data-testid="next-proposal"', html)
    assert offer and int(offer.group(1)) == second.id
    client.post(f"/proposals/review/{second.id}", data={**marks, "final": "1"})
    html = client.get(f"/proposals/review/{second.id}").text
    assert 'data-testid="next-proposal"' not in html and 'data-testid="queue-done"' in html


def test_after_saving_marks_the_judge_goes_to_the_next_entry_to_mark(client, login):
    competition, entries, panel = competition_in_scoring(competitors=3)
    judge = panel[0]
    full = {f"item_{item.id}": "80" for item in competition.items}
    login(client, judge)
    page = client.get(f"/competitions/{competition.id}/judge/{entries[0].id}").text
    for item in competition.items:
        assert f"{item.name}（0–100 分，权重 {item.weight}%）" in page
    response = client.post(f"/competitions/{competition.id}/judge/{entries[0].id}", data=full)
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}/judge/{entries[1].id}")
    client.post(f"/competitions/{competition.id}/judge/{entries[2].id}", data=full)
    # After the last number, back round to the one still unmarked; when all are marked, the queue.
    response = client.post(f"/competitions/{competition.id}/judge/{entries[2].id}", data=full)
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}/judge/{entries[1].id}")
    response = client.post(f"/competitions/{competition.id}/judge/{entries[1].id}", data=full)
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}/judge")


def test_typed_fields_open_the_right_phone_keyboard(client, login, world, at_judging):
    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    assign(proposal, world.judge)
    login(client, world.judge)
    review = client.get(f"/proposals/review/{proposal.id}").text
    marks = re.findall(r'<input[^>]*class="[^"]*mark-input[^"]*"[^>]*>', review)
    assert marks and all('inputmode="numeric"' in tag for tag in marks)
    login(client, world.hr_a)
    form = client.get("/workers/new").text
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', form).group(0)
    assert 'type="tel"' in phone


def test_money_opens_the_decimal_keypad(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        form = client.get(f"/proposals/new/{campaign.id}").text
    money = re.search(r'<input[^>]*name="estimated_savings"[^>]*>', form)
    assert money and 'inputmode="decimal"' in money.group(0)


def test_a_passed_deadline_reads_overdue_for_the_judge(client, login, world):
    """Proposals: the queue and the scoring page say 已逾期 once the judging deadline has passed while
    the judge's marks are still to submit (not before, not once submitted). Competitions: the list of
    competitions to mark says it once the competition day has passed, and so does the home to-do."""
    from datetime import timedelta

    from tests.factories_proposals import AFTER_JUDGING

    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a),
                               status="valid")
    assign(proposal, world.judge)
    login(client, world.judge)
    with clock.frozen(JUDGE_TIME):
        assert 'data-testid="overdue"' not in client.get("/proposals/review").text
        assert 'data-testid="overdue"' not in client.get(f"/proposals/review/{proposal.id}").text
    with clock.frozen(AFTER_JUDGING):
        queue = client.get("/proposals/review").text
        assert 'data-testid="overdue"' in queue and "已逾期" in queue
        assert "已逾期" in client.get(f"/proposals/review/{proposal.id}").text
    with clock.frozen(JUDGE_TIME):
        competition, _entries, judges = competition_in_scoring(competitors=1, judges=3)
        competition.held_on = clock.today() - timedelta(days=2)
        db.session.commit()
        login(client, judges[0])
        assert "已逾期" in client.get("/competitions/judging").text
        home = client.get("/").text
        todos = home[home.index('data-testid="todos"'):]
        assert "已逾期" in todos[:todos.index("</section>")]
        competition.held_on = clock.today() + timedelta(days=2)
        db.session.commit()
        assert "已逾期" not in client.get("/competitions/judging").text
