"""Login, logout, sessions, rate limits and the password page, through HTTP."""

import re
import time
from types import SimpleNamespace

import pytest

from models import AuditLog, User, db
from tests.factories import PASSWORD


def post_login(client, identifier, password=PASSWORD, **extra):
    return client.post("/login", data={"identifier": identifier, "password": password, **extra})


def test_login_page_is_chinese_and_keeps_input_on_failure(client, world):
    page = client.get("/login").get_data(as_text=True)
    assert "登录匠心平台" in page and 'lang="zh-CN"' in page
    response = post_login(client, world.hr_a.username, "wrong-password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "账号或密码不正确" in html
    assert f'value="{world.hr_a.username}"' in html
    assert "wrong-password" not in html


def test_login_by_phone_then_home_then_logout(client, world):
    response = post_login(client, world.worker_a.phone)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "甲企职工" in client.get("/").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_logout_is_post_only(client, login, world):
    login(client, world.worker_a)
    assert client.get("/logout").status_code == 405


def test_no_user_enumeration(client, world):
    unknown = post_login(client, "ghost-user", "whatever-pass").get_data(as_text=True)
    wrong = post_login(client, world.hr_a.username, "whatever-pass").get_data(as_text=True)
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(unknown) == strip(wrong)


@pytest.mark.parametrize("target, expected", [
    ("/admin/users", "/admin/users"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_redirects_only_to_local_paths(client, world, target, expected):
    response = post_login(client, world.admin.username, next=target)
    assert response.headers["Location"] == expected


def test_session_is_renewed_at_login(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    post_login(client, world.hr_a.username)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


def test_session_and_remember_lifetimes(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 12 * 3600
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 14
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_session_ends_twelve_hours_after_sign_in_however_often_it_is_used(app, world, monkeypatch):
    """Page views do not re-sign the session cookie (SESSION_REFRESH_EACH_REQUEST off): no Set-Cookie on a
    page view, and the cookie signed at sign-in is refused 12 hours later (itsdangerous's signing time)."""
    import itsdangerous.timed

    signed_at = time.time()
    client = app.test_client()
    post_login(client, world.hr_a.username)
    client.get("/")  # the first page may still change the session (the form token is kept in it)
    viewed = client.get("/")
    assert viewed.status_code == 200 and "session=" not in (viewed.headers.get("Set-Cookie") or "")
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: signed_at + 11.9 * 3600))
    assert client.get("/").status_code == 200
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: signed_at + 12.1 * 3600))
    assert client.get("/").status_code == 302  # to the login page


def test_remember_me_sets_a_cookie_that_logout_invalidates(app, world):
    first = app.test_client()
    post_login(first, world.hr_a.username, remember="y")
    cookie = first.get_cookie("remember_token")
    assert cookie is not None
    second = app.test_client()
    second.set_cookie("remember_token", cookie.value)
    assert second.get("/").status_code == 200  # restored from the remember cookie
    first.post("/logout")
    third = app.test_client()
    third.set_cookie("remember_token", cookie.value)
    assert third.get("/").status_code == 302


def test_logout_ends_the_users_other_sessions(app, world):
    phone, laptop = app.test_client(), app.test_client()
    post_login(phone, world.worker_a.username)
    post_login(laptop, world.worker_a.username)
    phone.post("/logout")
    assert laptop.get("/").status_code == 302


def test_password_change_keeps_this_session_and_ends_others(app, world):
    here, elsewhere = app.test_client(), app.test_client()
    post_login(here, world.worker_a.username)
    post_login(elsewhere, world.worker_a.username)
    response = here.post("/password", data={"current_password": PASSWORD, "new_password": "Fresh-Pass-2027",
                                            "confirm": "Fresh-Pass-2027"})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert post_login(app.test_client(), world.worker_a.username, "Fresh-Pass-2027").status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"current_password": "nope", "new_password": "Fresh-Pass-2027", "confirm": "Fresh-Pass-2027"}, "当前密码不正确"),
    ({"current_password": PASSWORD, "new_password": "short", "confirm": "short"}, "至少需要 8 个字符"),
    ({"current_password": PASSWORD, "new_password": "password1", "confirm": "password1"}, "太常见"),
    ({"current_password": PASSWORD, "new_password": "Fresh-Pass-2027", "confirm": "Other-Pass-2027"}, "不一致"),
])
def test_password_change_errors_are_shown_beside_the_field(client, login, world, data, message):
    login(client, world.worker_a)
    response = client.post("/password", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_deactivated_user_is_logged_out_on_next_request(client, world, login):
    login(client, world.worker_a)
    assert client.get("/").status_code == 200
    world.worker_a.is_active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_temporary_password_must_be_changed_first(client, world):
    world.worker_a.must_change_password = True
    db.session.commit()
    response = post_login(client, world.worker_a.username)
    assert response.headers["Location"] == "/password"
    assert client.get("/profile").headers["Location"] == "/password"


class TestRateLimits:
    def test_per_account_limit_answers_429_in_chinese(self, client, world):
        for _ in range(5):
            assert post_login(client, world.hr_a.username, "wrong-password").status_code == 200
        response = post_login(client, world.hr_a.username, "wrong-password")
        assert response.status_code == 429
        assert "尝试次数过多" in response.get_data(as_text=True)
        assert "请 15 分钟后再试" in response.get_data(as_text=True)  # LOGIN_LIMIT_PER_ACCOUNT: 5 per 15 minutes
        assert 890 <= int(response.headers["Retry-After"]) <= 901
        # the same account is locked even with the right password, another account is not
        assert post_login(client, world.hr_a.username).status_code == 429
        assert post_login(client, world.hr_b.username).status_code == 302

    def test_the_429_page_names_the_wait_of_the_configured_limit(self, app, client, world, monkeypatch):
        monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 40 seconds")
        for _ in range(2):
            post_login(client, world.hr_b.username, "wrong-password")
        response = post_login(client, world.hr_b.username, "wrong-password")
        assert response.status_code == 429
        said = re.search(r"请 (\d+) 秒后再试", response.get_data(as_text=True))
        assert said and 35 <= int(said.group(1)) <= 40
        assert 35 <= int(response.headers["Retry-After"]) <= 41

    def test_successful_logins_do_not_count(self, app, world):
        for _ in range(8):
            client = app.test_client()
            assert post_login(client, world.hr_a.username).status_code == 302

    def test_per_ip_limit_spans_accounts(self, client, world):
        for n in range(30):
            post_login(client, f"guess{n}", "wrong-password")
        assert post_login(client, "guess-final", "wrong-password").status_code == 429
        other_ip = client.post("/login", data={"identifier": world.hr_b.username, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other_ip.status_code == 302


def test_login_and_failures_are_audited_with_ip(client, world):
    post_login(client, world.hr_a.username, "wrong-password")
    post_login(client, world.hr_a.username)
    rows = db.session.scalars(db.select(AuditLog).order_by(AuditLog.id)).all()
    assert [(r.action, r.actor_id, r.ip) for r in rows] == [
        ("auth.login_failed", world.hr_a.id, "127.0.0.1"),
        ("auth.login", world.hr_a.id, "127.0.0.1"),
    ]
    db.session.expire_all()
    assert db.session.get(User, world.hr_a.id).last_login_at is not None


def test_profile_shows_own_data(client, login, world):
    login(client, world.worker_a)
    html = client.get("/profile").get_data(as_text=True)
    assert world.worker_a.phone in html and "甲鞋业有限公司" in html


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--username", "chief", "--name", "总工会主席",
                                 "--password", "Jinjiang-Union-2026"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.username == "chief")).roles == {"admin"}
    weak = runner.invoke(args=["create-admin", "--username", "weak", "--name", "弱", "--password", "12345678"])
    assert weak.exit_code != 0 and "太常见" in weak.output
