"""Person pickers in the forms of every area, without JavaScript: what is typed (a name, an employee
number, a phone's last digits) is resolved by services.accounts.search within whom the form may pick,
and the user is asked for more when it names nobody or several."""

import pytest

from core import clock
from models import db
from models.competitions import CompetitionJudge
from models.proposals import JudgeAssignment, Proposal
from tests.factories import JudgeFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.factories_titles import default_titles, make_eligible, open_round
from tests.views.test_proposals import form_data


def test_competition_judge_is_typed(client, login, world):
    competition = CompetitionFactory()
    login(client, world.admin)
    page = client.get(f"/competitions/{competition.id}/judges").get_data(as_text=True)
    assert world.judge.name not in page  # no list of every judge
    JudgeFactory(name="评委老陈二", skill_level=5)
    url = f"/competitions/{competition.id}/judges"
    several = client.post(url, data={"judge_id_q": "评委", "judge_id": ""}).get_data(as_text=True)
    assert "有多个结果符合" in several and "评委老陈二" in several and 'value="评委"' in several
    assert "没有找到" in client.post(url, data={"judge_id_q": world.worker_a.name}).get_data(as_text=True)
    response = client.post(url, data={"judge_id_q": world.judge.phone[-4:]})
    assert response.status_code == 302
    assert db.session.scalar(db.select(CompetitionJudge.judge_id)) == world.judge.id


def test_campaign_judge_is_typed_per_proposal(client, login, world):
    campaign = CampaignFactory()
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    login(client, world.admin)
    with clock.frozen(JUDGE_TIME):
        client.post(f"/proposals/campaigns/{campaign.id}/assign",
                    data={"proposal_id": proposal.id, "judge_id_q": world.judge.employee_no.lower()})
    assert db.session.scalar(db.select(JudgeAssignment.judge_id)) == world.judge.id


def test_nominee_is_typed(client, login, world):
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    twin = WorkerFactory(enterprise=world.enterprise_a, name=world.worker_a.name)
    title_round = open_round(world.admin, kinds["晋江工匠"])
    login(client, world.hr_a)
    url = f"/titles/rounds/{title_round.id}/nominate"
    several = client.get(url, query_string={"worker_q": world.worker_a.name}).get_data(as_text=True)
    assert "有多个结果符合，请选定一个" in several and f"worker={twin.id}" in several
    one = client.get(url, query_string={"worker_q": world.worker_a.employee_no}).get_data(as_text=True)
    assert "申报条件" in one and f'name="worker" value="{world.worker_a.id}"' in one
    assert "没有找到" in client.get(url, query_string={"worker_q": world.worker_b.name}).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["同厂合作者", "X-77", "8888"])
def test_coauthor_is_typed_by_name_number_or_phone(client, login, world, typed):
    WorkerFactory(enterprise=world.enterprise_a, name="同厂合作者", employee_no="X-77", phone="13900008888")
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        response = client.post(f"/proposals/new/{campaign.id}", data=form_data(
            proposer_share="60", **{"coauthors-0-user_id_q": typed, "coauthors-0-share": "40"}))
        assert response.status_code == 302
        proposal = db.session.scalar(db.select(Proposal))
        edit = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'value="同厂合作者（X-77）"' in edit
