"""The union's mentoring settings (带徒设置): one row the union admin edits, with its defaults.

The defaults and ranges come from docs/domain.md ("Mentoring": at most 3 active apprentices, either
side may dissolve in the first month, excellent pairs by a yearly quota of about 100); the database
repeats the ranges as check constraints (models.mentorship.MentorshipSettings).
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.l10n import lazy_gettext as _l
from models import db
from models.mentorship import MentorshipSettings
from services import policy
from services.common import audit
from services.errors import RuleViolation
from services.training import evidence as training_evidence

SETTING_DEFAULTS = {
    "max_active_apprentices": 3,
    "grace_days": 7,
    "dissolution_months": 1,
    "excellent_quota": 100,
}

# name -> (lowest, highest, the message that refuses a value outside the range)
SETTING_RANGES = {
    "max_active_apprentices": (1, 20, _l("每位师傅同时带徒人数须在 1 到 20 之间。")),
    "grace_days": (0, 90, _l("宽限天数须在 0 到 90 之间。")),
    "dissolution_months": (0, 6, _l("可解除期限须在 0 到 6 个月之间。")),
    "excellent_quota": (1, 10000, _l("优秀师徒名额须在 1 到 10000 之间。")),
}


# The mentor's training rule (models.training.TrainingRequirement; blank: not required).
TRAINING_SETTINGS = ("training_min_hours", "training_hours_years", "training_programme_kind",
                     "training_programme_years")


NONE_SAVED = "mentorship_settings_none_saved"  # session.info: this transaction found no settings row
SETTINGS_ID = 1  # the one settings row's id
READ_ALONG = "mentorship_settings_read_along"  # session.info: a copy of the row this transaction read (settings_read)


def get_settings() -> MentorshipSettings:
    """The settings row, or an unsaved one holding the defaults when none was saved yet. One look per
    transaction: the row stays in the session, and so does the fact that there is none (until the
    transaction ends or update_settings saves one); a copy of the row another statement read along
    (settings_read) is taken as it is."""
    session = db.session()
    info = session.info
    found = info.get(READ_ALONG)
    if found is not None:
        return found
    if not info.get(NONE_SAVED):
        row = session.get(MentorshipSettings, SETTINGS_ID)
        if row is not None:
            return row
        info[NONE_SAVED] = True
    return MentorshipSettings(id=SETTINGS_ID, **SETTING_DEFAULTS)


def settings_columns() -> tuple:
    """The settings row's columns, for a statement that reads the row along with other things (outer
    joined on its id SETTINGS_ID, so all None when none was saved); its values go to settings_read."""
    return tuple(MentorshipSettings.__table__.columns)


def settings_read(values) -> None:
    """The values of settings_columns() another statement read in this transaction (all None: no row was
    saved): get_settings then asks no more until the transaction ends or update_settings runs."""
    if values[0] is None:
        db.session().info[NONE_SAVED] = True
    else:
        names = MentorshipSettings.__table__.columns.keys()
        db.session().info[READ_ALONG] = MentorshipSettings(**dict(zip(names, values, strict=True)))


@event.listens_for(Session, "after_transaction_end")
def _forget_none_saved(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(NONE_SAVED, None)
        session.info.pop(READ_ALONG, None)


def update_settings(actor, **values) -> MentorshipSettings:
    """Union admins change the mentoring settings; audited.

    `values` maps setting names of SETTING_RANGES to whole numbers (apprentices per mentor, grace days,
    months in which a pair may be dissolved, excellent pairs per year), and may set the mentor's training
    rule (TRAINING_SETTINGS, each None for "not required"; checked by
    services.training.evidence.check_requirement_data). Raises NotAllowed for anyone but a union admin
    and RuleViolation (on the setting's field) for a missing or out-of-range value.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以修改带徒设置。"))
    db.session.info.pop(NONE_SAVED, None)
    db.session.info.pop(READ_ALONG, None)
    row = db.session.get(MentorshipSettings, 1)
    if row is None:
        row = MentorshipSettings(id=1, **SETTING_DEFAULTS)
        db.session.add(row)
    names = (*SETTING_RANGES, *TRAINING_SETTINGS)
    before = {name: getattr(row, name) for name in names}
    training = {name: values.pop(name) for name in TRAINING_SETTINGS if name in values}
    if training:
        training_evidence.check_requirement_data(SimpleNamespace(**{**before, **training}))
        for name, value in training.items():
            setattr(row, name, value)
    for name, value in values.items():
        low, high, message = SETTING_RANGES[name]
        if value is None or not low <= value <= high:
            raise RuleViolation(message, field=name)
        setattr(row, name, value)
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record("mentorship.settings_changed", actor=actor, before=before,
                 after={name: getattr(row, name) for name in names})
    return row
