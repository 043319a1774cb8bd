"""Security headers, CSRF, error pages and request size limits."""

import pytest

from tests.factories import PASSWORD


def test_security_headers_on_every_response(client):
    for url in ["/login", "/static/css/app.css", "/no-such-page"]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_over_https(client):
    assert "max-age=" in client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_logged_in_pages_are_not_cached(client, login, world):
    login(client, world.worker_a)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_no_inline_scripts_or_styles_in_pages(client, login, world):
    login(client, world.admin)
    for url in ["/", "/admin/users/new", "/admin/enterprises"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html, url


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_forms_without_csrf_token_are_refused(client, world, csrf_on):
    response = client.post("/login", data={"identifier": world.hr_a.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_logout_needs_csrf(client, login, world, csrf_on):
    login(client, world.worker_a)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("url, status, text", [
    ("/no-such-page", 404, "页面不存在"),
    ("/admin/users", 403, "没有权限"),
])
def test_friendly_error_pages_in_chinese(client, login, world, url, status, text):
    login(client, world.worker_a)
    response = client.get(url)
    assert response.status_code == status and text in response.get_data(as_text=True)


def test_oversized_request_gets_413_page(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data=b"x" * (limit + 1), content_type="application/octet-stream")
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)


def test_server_error_page(app, client, login, world, monkeypatch):
    from services.accounts import dashboard

    def broken(person):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(dashboard, "home", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    login(client, world.admin)
    response = client.get("/")
    assert response.status_code == 500
    assert "系统出错了" in response.get_data(as_text=True) and "on fire" not in response.get_data(as_text=True)
