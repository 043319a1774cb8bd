"""The message centre and outbound channels: messages kept for their recipient, translated when shown;
e-mail, WeCom and SMS sends in the background against loopback stubs, with retries and backoff."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from flask_babel import force_locale

from core import clock
from models import MessageDelivery, db
from models.messages import CHANNEL_EMAIL, CHANNEL_SMS, DELIVERY_FAILED, DELIVERY_PENDING, DELIVERY_SENT
from services.common.i18n import deferred
from services.errors import NotFound, RuleViolation
from services.jobs.scheduler import tick
from services.messages import channels, delivery, inbox, preferences, reminders

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def subject(n=1):
    return deferred("已导出 %(n)d 条。", n=n)


def test_a_message_is_kept_for_its_recipient_only(world):
    [message] = inbox.notify([world.worker_a, world.worker_a.id, None], "test.event", subject(3),
                             link=inbox.link_to("home.index"))
    db.session.commit()
    assert inbox.unread_count(world.worker_a) == 1 and inbox.unread_count(world.worker_b) == 0
    with pytest.raises(NotFound):
        inbox.open_message(world.worker_b, message.id)
    inbox.open_message(world.worker_a, message.id)
    assert inbox.unread_count(world.worker_a) == 0
    assert str(inbox.subject_of(message)) == "已导出 3 条。"


def test_pages_are_keyset_pages_newest_first(world):
    for n in range(inbox.PAGE_SIZE + 5):
        inbox.notify([world.worker_a], "test.event", subject(n))
    db.session.commit()
    first, more = inbox.page(world.worker_a)
    second, end = inbox.page(world.worker_a, before_id=more)
    assert len(first) == inbox.PAGE_SIZE and len(second) == 5 and end is None
    ids = [m.id for m in first + second]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == inbox.PAGE_SIZE + 5
    assert inbox.mark_all_read(world.worker_a) == inbox.PAGE_SIZE + 5
    assert inbox.page(world.worker_a, unread_only=True) == ([], None)


def test_messages_are_listed_newest_first_by_their_time_with_the_id_breaking_ties(world):
    # Made out of time order (a job writes an older event after a newer one) and some in one instant.
    times = [START + timedelta(hours=h) for h in (5, 1, 3, 3, 0, 4)]
    made = []
    for n, moment in enumerate(times):
        clock.set_now(moment)
        made.extend(inbox.notify([world.worker_a], "test.event", subject(n)))
    clock.set_now(None)
    db.session.commit()
    expected = [m.id for m in sorted(made, key=lambda m: (m.created_at, m.id), reverse=True)]
    assert expected != sorted(expected, reverse=True)  # the id order alone would be wrong
    rows, _more = inbox.page(world.worker_a)
    assert [m.id for m in rows] == expected
    # Paging continues from the last (time, id) seen, with nothing repeated or skipped.
    for n in range(inbox.PAGE_SIZE):
        clock.set_now(START + timedelta(hours=3))
        inbox.notify([world.worker_a], "test.event", subject(n))
    clock.set_now(None)
    db.session.commit()
    first, more = inbox.page(world.worker_a)
    second, end = inbox.page(world.worker_a, before_id=more)
    both = first + second
    assert end is None and len({m.id for m in both}) == len(both) == inbox.PAGE_SIZE + len(times)
    keys = [(m.created_at, m.id) for m in both]
    assert keys == sorted(keys, reverse=True)


def test_a_stored_message_is_shown_in_the_readers_language(app, world):
    [message] = inbox.notify([world.worker_a], "test.event", deferred("名额已满，您已进入候补名单，第 %(n)d 位。", n=2))
    db.session.commit()
    with app.test_request_context(), force_locale("en"):
        assert str(inbox.subject_of(message)) == "All places are taken; you are on the waiting list at position 2."


@pytest.fixture
def smtp_stub():
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.mails = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.mails.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    handler = Collect()
    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness on the port it was given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, handler
    controller.stop()


def test_an_email_goes_out_when_the_channel_is_on_and_the_person_wants_it(world, smtp_stub):
    controller, handler = smtp_stub
    channels.save_channel(world.admin, CHANNEL_EMAIL, {"host": "127.0.0.1", "port": controller.port,
                                                       "sender": "noreply@jx.test"})
    world.worker_a.email = "worker@jx.test"
    world.worker_b.email = "other@jx.test"
    preferences.set_choices(world.worker_b, {CHANNEL_EMAIL: False}, "other@jx.test")
    inbox.notify([world.worker_a, world.worker_b], "test.event", subject(5))
    db.session.commit()
    assert [to for to, _body in handler.mails] == [["worker@jx.test"]]
    assert "=?utf-8?" in handler.mails[0][1] or "已导出 5 条" in handler.mails[0][1]
    [row] = db.session.scalars(db.select(MessageDelivery)).all()
    assert row.status == DELIVERY_SENT and row.attempts == 1


class WebhookStub(BaseHTTPRequestHandler):
    fail_next = 0
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if WebhookStub.fail_next:
            WebhookStub.fail_next -= 1
            self.send_response(500)
            self.end_headers()
            return
        WebhookStub.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def do_GET(self):  # noqa: N802 - the Aliyun stub answers GET
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        WebhookStub.received.append(query)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"Code": "OK"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def http_stub():
    WebhookStub.fail_next, WebhookStub.received = 0, []
    server = HTTPServer(("127.0.0.1", 0), WebhookStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_failing_robot_is_retried_with_backoff_and_then_delivers(world, http_stub):
    with clock.frozen(START):
        robot = channels.save_robot(world.admin, f"{http_stub}/cgi-bin/webhook/send?key=k", town_id=None,
                                    credit_code=world.enterprise_a.credit_code)
        WebhookStub.fail_next = 1
        row = delivery.queue_robot(robot, "今日待办", "待审核提案 3 件")
        db.session.commit()
        db.session.refresh(row)
        assert row.status == DELIVERY_PENDING and row.attempts == 1 and "500" in row.last_error
        assert row.next_attempt_at == START + timedelta(minutes=1)
    with clock.frozen(START + timedelta(seconds=30)):
        tick()  # not due yet
        db.session.refresh(row)
        assert row.attempts == 1
    with clock.frozen(START + timedelta(minutes=2)):
        tick()
        db.session.refresh(row)
    assert row.status == DELIVERY_SENT and row.attempts == 2
    assert WebhookStub.received == [{"msgtype": "text", "text": {"content": "今日待办\n待审核提案 3 件"}}]


def test_a_channel_that_keeps_failing_is_given_up_after_four_attempts(world):
    with clock.frozen(START):
        robot = channels.save_robot(world.admin, "http://127.0.0.1:9/nothing-listens", credit_code=None,
                                    town_id=world.enterprise_a.town_id)
        row = delivery.queue_robot(robot, "今日待办", "x")
        db.session.commit()
    moment = START
    for wait in delivery.BACKOFF:
        moment += wait
        with clock.frozen(moment):
            tick()
    db.session.refresh(row)
    assert row.status == DELIVERY_FAILED and row.attempts == delivery.MAX_ATTEMPTS and row.last_error


def test_sms_through_aliyun_is_signed_and_the_log_provider_just_logs(world, http_stub):
    channels.save_channel(world.admin, CHANNEL_SMS, {"provider": "aliyun", "access_key_id": "testId",
                                                     "access_key_secret": "testSecret", "sign_name": "匠心",
                                                     "template_code": "SMS_1", "endpoint": http_stub + "/"})
    preferences.set_choices(world.worker_a, {CHANNEL_SMS: True}, None)
    inbox.notify([world.worker_a, world.worker_b], "test.event", subject(1))  # worker_b left SMS off
    db.session.commit()
    [query] = WebhookStub.received
    assert query["PhoneNumbers"] == world.worker_a.phone and query["SignName"] == "匠心"
    assert json.loads(query["TemplateParam"]) == {"event": "已导出 1 条。"}
    signature = query.pop("Signature")
    assert signature == channels.aliyun_signature(query, "testSecret")


def test_aliyun_signature_matches_the_documented_example():
    """The example of Aliyun's SMS API documentation (signature version 1.0)."""
    query = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
             "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
             "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
             "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
             "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert channels.aliyun_signature(query, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_only_admins_configure_channels_and_bad_settings_are_refused(world):
    from services.errors import NotAllowed

    with pytest.raises(NotAllowed):
        channels.save_channel(world.hr_a, CHANNEL_EMAIL, {"host": "x", "sender": "a@b"})
    with pytest.raises(RuleViolation):
        channels.save_channel(world.admin, CHANNEL_EMAIL, {"host": "", "sender": "nobody"})
    with pytest.raises(RuleViolation):
        channels.save_robot(world.admin, "ftp://x", town_id=world.enterprise_a.town_id)
    with pytest.raises(RuleViolation):
        channels.save_robot(world.admin, "https://qyapi.weixin.qq.com/x", credit_code="91350582MA0000000X")


def test_a_blank_secret_keeps_the_stored_one(world):
    settings = {"provider": "aliyun", "access_key_id": "id", "access_key_secret": "s3cret", "sign_name": "匠心",
                "template_code": "SMS_1"}
    channels.save_channel(world.admin, CHANNEL_SMS, settings)
    config = channels.save_channel(world.admin, CHANNEL_SMS, {**settings, "access_key_secret": ""})
    assert config.settings["access_key_secret"] == "s3cret"
    assert channels.masked_settings(config)["access_key_secret"] == ""


def test_a_reminder_is_sent_once_even_when_asked_twice(world):
    @reminders.reminder("test.due")
    def due(today):
        return [reminders.Reminder("test.due", 7, world.worker_a.id, today + timedelta(days=1), subject(7))]

    try:
        assert reminders.send_due(clock.today()) == 1
        assert reminders.send_due(clock.today()) == 0
        db.session.commit()
        assert inbox.unread_count(world.worker_a) == 1
    finally:
        reminders.PROVIDERS.pop("test.due")
