"""Request and error logging: JSON lines with the request id, personal data masked."""

from __future__ import annotations

import json
import logging

import pytest

from logs import JsonFormatter, mask


@pytest.fixture
def log_lines(app):
    """Collect the JSON lines the app's loggers write during a test."""
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Collect()
    loggers = [app.logger, logging.getLogger("jiangxin.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def failing_app(app, tmp_path):
    """A second app on the same database with one route that raises (routes cannot be added to `app`)."""
    from app import create_app
    from blueprints.access import public
    from tests.conftest import test_config

    other = create_app({**test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path), "PROPAGATE_EXCEPTIONS": False})

    @public
    def boom():
        raise RuntimeError("phone 13912345678 leaked?")

    other.add_url_rule("/__boom", "boom", boom)
    return other


def test_each_request_is_logged_with_route_status_duration_and_id(client, log_lines):
    response = client.get("/login", headers={"X-Request-ID": "abc12345-trace"})
    assert response.headers["X-Request-ID"] == "abc12345-trace"
    [line] = [entry for entry in log_lines if entry["message"] == "request"]
    assert line["method"] == "GET" and line["route"] == "/login" and line["status"] == 200
    assert line["request_id"] == "abc12345-trace" and line["user_id"] is None
    assert isinstance(line["duration_ms"], float)


def test_a_bad_request_id_header_is_replaced(client, log_lines):
    response = client.get("/login", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 16


def test_a_500_is_logged_with_its_traceback_and_the_page_shows_the_same_id(failing_app, log_lines):
    client = failing_app.test_client()
    response = client.get("/__boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.get_data(as_text=True)
    [error] = [entry for entry in log_lines if entry["level"] == "ERROR"]
    assert error["request_id"] == request_id
    assert "RuntimeError" in error["traceback"]
    assert "13912345678" not in json.dumps(error) and "139****5678" in error["traceback"]


def test_mask_hides_phones_and_secrets():
    assert mask("call 13800000011 now") == "call 138****0011 now"
    assert mask({"password": "Jiangxin@2026", "activation_code": "K7Q4", "name": "张三"}) == {
        "password": "***", "activation_code": "***", "name": "张三"}
    assert mask("order 213800000011999") == "order 213800000011999"  # not a phone: part of a longer number
