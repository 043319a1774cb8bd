"""Helpers that build title data through the titles service (never by writing award rows by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core import clock
from models import db
from models.skills import REASON_CERTIFICATE
from services.common import skills
from services.titles import awards, nominations, rounds, types

CERT_NO = "Y350582202611240000001"


def default_titles() -> dict:
    types.ensure_default_titles()
    db.session.commit()
    return {t.name: t for t in types.title_types()}


def make_eligible(hr, worker, rank: int = 4, since: date = date(2010, 1, 1)) -> None:
    """Certify `worker` at `rank` (技师 by default) through the skills service, effective today or, when
    `since` lies in the past, from `since` (a round's evidence counts the level as of its cut-off);
    in the trade since `since`."""
    worker.trade_since = since
    skills.change_skill_level(hr, worker, rank, reason=REASON_CERTIFICATE, certificate_no=CERT_NO,
                              issuing_body="晋江市职业技能鉴定中心", effective_date=min(since, clock.today()))
    db.session.commit()


def open_round(admin, title_type, year=2026, days=30, quota=None):
    title_round = rounds.open_round(admin, title_type, year, clock.now() + timedelta(days=days), quota)
    db.session.commit()
    return title_round


def award_through_round(admin, hr, worker, title_type, year=2026, finalise=True):
    """Nominate, approve, award, notice and (optionally) finalise: the whole journey by services."""
    start = datetime(year, 3, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        title_round = open_round(admin, title_type, year=year)
        nomination = nominations.nominate(hr, title_round, worker,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
        nominations.review_nomination(admin, nomination, True, "事迹属实")
        granted = awards.award(admin, nomination)
    with clock.frozen(start + timedelta(days=31)):
        awards.publish_awards(admin, title_round)
    if finalise:
        with clock.frozen(start + timedelta(days=45)):
            awards.finalise_round(admin, title_round)
    db.session.commit()
    return granted
