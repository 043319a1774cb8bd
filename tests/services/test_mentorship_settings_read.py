"""The mentoring settings are read once per transaction, also when none was ever saved
(services/mentorship/settings.py get_settings): the pages that read them many times cost one look."""

from __future__ import annotations

from sqlalchemy import delete, insert

from models import db
from models.mentorship import MentorshipSettings
from services.mentorship.settings import SETTING_DEFAULTS, get_settings, update_settings
from tests.querycount import count_queries


def test_no_saved_settings_cost_one_look_per_transaction_and_a_saved_row_shows_at_once(world):
    db.session.execute(delete(MentorshipSettings))
    db.session.commit()
    with count_queries() as looked:
        first, second = get_settings(), get_settings()
    assert looked.count == 1
    assert first.max_active_apprentices == second.max_active_apprentices == SETTING_DEFAULTS["max_active_apprentices"]
    saved = update_settings(world.admin, max_active_apprentices=SETTING_DEFAULTS["max_active_apprentices"] + 1)
    assert get_settings() is saved  # saved in this transaction: read at once
    db.session.rollback()
    assert get_settings().max_active_apprentices == SETTING_DEFAULTS["max_active_apprentices"]
    db.session.commit()
    # another app server saves a row: the next transaction sees it
    with db.engine.begin() as connection:
        connection.execute(insert(MentorshipSettings.__table__).values(
            id=1, **{**SETTING_DEFAULTS, "max_active_apprentices": SETTING_DEFAULTS["max_active_apprentices"] + 2}))
    assert get_settings().max_active_apprentices == SETTING_DEFAULTS["max_active_apprentices"] + 2
