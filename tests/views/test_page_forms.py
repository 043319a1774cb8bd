"""The heavy detail pages build a form only where they show it (issue 10: at the city's scale most of a
page's time was Python, forms built for every view among it), and a form posted back and refused is still
shown with its errors and what was typed. The forms a page was given are read from the render's context."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from flask import template_rendered
from wtforms import Form

from core import clock
from models import db
from services.titles import awards, nominations
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory
from tests.factories_titles import default_titles, make_eligible, open_round

PROPOSAL_FORMS = ("submit_form", "withdraw_form", "attach_form", "screen_form", "adopt_form", "implement_form",
                  "assign_form", "recommend_form", "higher_form")


@contextmanager
def rendered(app):
    """The context of each template rendered inside the block (the page's first)."""
    contexts = []

    def record(_sender, template, context, **_extra):
        contexts.append(context)

    template_rendered.connect(record, app)
    try:
        yield contexts
    finally:
        template_rendered.disconnect(record, app)


@pytest.fixture
def at_judging():
    with clock.frozen(JUDGE_TIME):
        yield


def built(context, names) -> set[str]:
    return {name for name in names if isinstance(context.get(name), Form)}


def test_a_proposal_page_builds_only_the_forms_of_the_readers_acts(app, client, login, world):
    scored = ProposalFactory(proposer=world.worker_a, status="scored")
    submitted = ProposalFactory(proposer=world.worker_a)
    login(client, world.worker_a)  # the author of a scored proposal: nothing to do on it
    with rendered(app) as contexts:
        assert client.get(f"/proposals/{scored.id}").status_code == 200
    assert built(contexts[0], PROPOSAL_FORMS) == set()
    with rendered(app) as contexts:  # a submitted one: withdraw it, nothing else
        client.get(f"/proposals/{submitted.id}")
    assert built(contexts[0], PROPOSAL_FORMS) == {"withdraw_form"}
    login(client, world.hr_a)  # its screener: the screening form only
    with rendered(app) as contexts:
        page = client.get(f"/proposals/{submitted.id}").text
    assert built(contexts[0], PROPOSAL_FORMS) == {"screen_form"} and 'data-testid="screen-form"' in page
    login(client, world.admin)  # the city: the higher-level recommendation of a valid proposal, no screening
    with rendered(app) as contexts:
        client.get(f"/proposals/{scored.id}")
    assert built(contexts[0], PROPOSAL_FORMS) == {"higher_form"}


def test_a_refused_screening_is_shown_again_with_its_error_and_what_was_typed(app, client, login, world):
    proposal = ProposalFactory(proposer=world.worker_a)
    login(client, world.hr_a)
    with rendered(app) as contexts:
        refused = client.post(f"/proposals/{proposal.id}/screen",
                              data={"decision": "return", "reason": "", "note": ""})
    assert refused.status_code == 422 and "退回修改时请写明需要修改的地方" in refused.text
    assert re.search(r'<input checked[^>]*name="decision"[^>]*value="return"', refused.text)  # as it was chosen
    assert built(contexts[0], PROPOSAL_FORMS) == {"screen_form"}


def test_the_campaign_pages_give_their_forms_to_the_owner_acting_only(app, client, login, world, at_judging):
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    own = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    names = ("panel_form", "publish_form")
    login(client, world.admin)
    with rendered(app) as contexts:  # judging under way: the panel (on the judges' page), no publishing yet
        client.get(f"/proposals/campaigns/{campaign.id}")
        page = client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert built(contexts[0], names) == set() and built(contexts[1], names) == {"panel_form"}
    assert 'data-testid="appoint-form"' in page
    campaign.locked = True
    db.session.commit()
    with rendered(app) as contexts:  # locked: publishing is offered
        client.get(f"/proposals/campaigns/{campaign.id}")
    assert built(contexts[0], names) == {"publish_form"}
    with rendered(app) as contexts:  # the city oversees an enterprise's campaign, read-only: no form
        client.get(f"/proposals/campaigns/{own.id}")
        page = client.get(f"/proposals/campaigns/{own.id}/judges").text
    assert built(contexts[0], names) == built(contexts[1], names) == set()
    assert 'data-testid="appoint-form"' not in page
    login(client, world.hr_a)  # its owner runs it
    with rendered(app) as contexts:
        page = client.get(f"/proposals/campaigns/{own.id}/judges").text
    assert built(contexts[0], names) == {"panel_form"} and 'data-testid="appoint-form"' in page


def test_a_title_round_gives_the_admin_the_form_of_its_stage_only(app, client, login, world):
    title_type = next(iter(default_titles().values()))
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        make_eligible(world.hr_a, world.worker_a)
        title_round = open_round(world.admin, title_type)
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
        nominations.review_nomination(world.admin, nomination, True, "事迹属实")
        awards.award(world.admin, nomination)
        db.session.commit()
    names = ("publish_form", "resolve_form")
    login(client, world.admin)
    with rendered(app) as contexts:
        page = client.get(f"/titles/rounds/{title_round.id}").text
    assert built(contexts[0], names) == {"publish_form"} and world.worker_a.name in page
    with clock.frozen(start + timedelta(days=31)):
        awards.publish_awards(world.admin, title_round)
        db.session.commit()
    with rendered(app) as contexts:
        client.get(f"/titles/rounds/{title_round.id}")
    assert built(contexts[0], names) == {"resolve_form"}
    login(client, world.hr_a)
    with rendered(app) as contexts:
        page = client.get(f"/titles/rounds/{title_round.id}").text
    assert built(contexts[0], names) == set() and world.worker_a.name in page
