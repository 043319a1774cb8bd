"""`flask seed-demo`: idempotent demo data with an account per role."""

from demo import DEMO_PASSWORD
from models import Enterprise, Role, User, db
from services.common.passwords import verify


def test_seed_demo_is_idempotent_and_has_every_role(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.scalar(db.select(db.func.count(User.id))),
              db.session.scalar(db.select(db.func.count(Enterprise.id))))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts == (db.session.scalar(db.select(db.func.count(User.id))),
                      db.session.scalar(db.select(db.func.count(Enterprise.id))))
    accounts = {u.username: u for u in db.session.scalars(db.select(User).where(User.username.is_not(None)))}
    assert accounts["admin"].roles == {Role.ADMIN}
    assert accounts["hr_a"].enterprise_id != accounts["hr_b"].enterprise_id
    assert Role.JUDGE in accounts["judge"].roles and Role.WORKER in accounts["worker"].roles
    assert verify(accounts["worker"].password_hash, DEMO_PASSWORD)
    levels = set(db.session.scalars(db.select(User.skill_level).where(User.skill_level.is_not(None))))
    assert levels == set(range(8))  # the whole ladder is represented


def test_pdf_fonts_says_what_is_missing_and_never_fails(app):
    previous = app.config["PDF_FONT_PATHS"]
    app.config["PDF_FONT_PATHS"] = [previous[0], "/nowhere/HanaMinB.ttf"]
    try:
        result = app.test_cli_runner().invoke(args=["pdf-fonts"])
    finally:
        app.config["PDF_FONT_PATHS"] = previous
    assert result.exit_code == 0
    assert "/nowhere/HanaMinB.ttf" in result.output and "fonts-hanazono" in result.output


def test_the_demo_has_a_town_officer_and_a_moved_enterprise(app):
    from services.accounts import enterprises
    from services.policy import TOWN, management_scope

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    accounts = {u.username: u for u in db.session.scalars(db.select(User).where(User.username.is_not(None)))}
    officer, hr_a, hr_b = accounts["town"], accounts["hr_a"], accounts["hr_b"]
    assert officer.roles == {Role.TOWN} and verify(officer.password_hash, DEMO_PASSWORD)
    assert management_scope(officer).kind == TOWN and officer.town_id == hr_a.enterprise.town_id
    history = enterprises.town_history(hr_b.enterprise_id)
    assert [span.town_id for span in history] == [hr_a.enterprise.town_id, hr_b.enterprise.town_id]
    assert history[0].valid_to == history[1].valid_from and history[1].valid_to is None
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert len(enterprises.town_history(hr_b.enterprise_id)) == 2
