"""Addresses printed or sent outside (services.common.urls): PUBLIC_BASE_URL when set, else the host of
the request, else nothing (a background job with no public address configured)."""

from __future__ import annotations

from services.common.urls import external_url


def test_the_public_base_url_wins_over_the_requests_host(app):
    app.config["PUBLIC_BASE_URL"] = "https://jx.example.cn/"
    try:
        with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
            assert external_url("verify.check", code="K7Q4-M9XP-3RTW") == \
                "https://jx.example.cn/verify?code=K7Q4-M9XP-3RTW"
        with app.app_context():  # a background job: no request at all
            assert external_url("home.index") == "https://jx.example.cn/"
    finally:
        app.config["PUBLIC_BASE_URL"] = ""


def test_without_it_the_requests_host_or_nothing(app):
    app.config["PUBLIC_BASE_URL"] = app.config["PUBLIC_URL"] = ""
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert external_url("verify.check", code="AB") == "http://10.0.0.5:8000/verify?code=AB"
    with app.app_context():
        assert external_url("home.index") == ""
