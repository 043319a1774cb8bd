"""The pair's page and the mentoring start page read the mentoring settings along with their pair and own
pairs (services/mentorship/pair_page.py, own_pairs.py; issue 10, speed): get_settings then asks nothing more
in the transaction, shows the saved row (or the defaults when none was saved), and forgets what it read
when the transaction ends or the settings change."""

from __future__ import annotations

from sqlalchemy import delete

from models import db
from models.mentorship import MentorshipSettings
from services.mentorship import own_pairs, pair_page
from services.mentorship.settings import SETTING_DEFAULTS, get_settings, update_settings
from tests.factories_mentorship import MentorPairFactory
from tests.querycount import count_queries


def _pages(client, *urls) -> list[int]:
    counts = []
    for url in urls:
        client.get(url)  # warm-up (session)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(counter.count)
    return counts


def _settings_looks(counter) -> list[str]:
    """The statements that read the settings row alone (get_settings' own look)."""
    return [statement for statement in counter.statements if "FROM mentorship_settings" in statement]


def test_settings_read_along_with_a_pair_and_own_pairs_cost_no_look_of_their_own(world):
    pair = MentorPairFactory(enterprise=world.enterprise_a)
    db.session.execute(delete(MentorshipSettings))
    db.session.commit()
    with count_queries() as looked:
        get_settings()
    assert len(_settings_looks(looked)) == 1  # what the test looks for: get_settings' own look
    db.session.rollback()
    for read in (lambda: pair_page.pair_and_nomination(world.hr_a, pair.id), lambda: own_pairs.own_pairs(pair.mentor)):
        with count_queries() as looked:
            read()
            settings = get_settings()
        assert _settings_looks(looked) == []
        assert settings.grace_days == SETTING_DEFAULTS["grace_days"]
        db.session.rollback()
    update_settings(world.admin, grace_days=SETTING_DEFAULTS["grace_days"] + 3)
    db.session.commit()
    for read in (lambda: pair_page.pair_and_nomination(world.hr_a, pair.id), lambda: own_pairs.own_pairs(world.hr_a)):
        with count_queries() as looked:
            read()
            settings = get_settings()
        assert _settings_looks(looked) == []
        assert settings.grace_days == SETTING_DEFAULTS["grace_days"] + 3
        saved = update_settings(world.admin, grace_days=SETTING_DEFAULTS["grace_days"] + 4)
        assert get_settings() is saved  # changed in this transaction: the copy read along is forgotten
        db.session.rollback()
        assert get_settings().grace_days == SETTING_DEFAULTS["grace_days"] + 3


def test_the_pair_page_and_the_start_page_send_no_statement_for_the_settings(app, login, world):
    pair = MentorPairFactory(enterprise=world.enterprise_a)
    db.session.commit()
    hr, mentor = (login(app.test_client(), user) for user in (world.hr_a, pair.mentor))
    url = f"/mentorship/pairs/{pair.id}"
    # the session user, the pair (with its nomination and the settings), its check-ins, its history
    assert _pages(hr, url) == _pages(mentor, url) == [4]
    # the session user, the own pairs (with the settings), HR's figures
    assert _pages(hr, "/mentorship/") == [3]
    assert _pages(mentor, "/mentorship/") == [2]
