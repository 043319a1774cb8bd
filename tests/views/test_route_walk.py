"""Every route, every persona: the expected status code (see tests/route_rules).

A route registered without a rule fails `test_every_route_has_a_rule`.
"""

import pytest

from tests.route_rules import PERSONAS, all_rules

RULES = all_rules()


def test_every_route_has_a_rule(app):
    registered = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(rule.endpoint, rule.method) for rule in RULES}
    assert registered - covered == set(), "routes without an access rule in tests/route_rules"
    assert covered - registered == set(), "rules for routes that do not exist"


def test_every_view_declares_who_may_enter(app):
    """Each view function carries @roles_required(...) or @public (blueprints.access)."""
    unmarked = sorted(
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not endpoint.endswith(".static")
        and not hasattr(view, "access_roles") and not getattr(view, "access_public", False)
    )
    assert unmarked == []


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_route_answers_persona_as_expected(app, client, login, world, rule, persona):
    user = world.persona(persona)
    if user is not None:
        login(client, user)
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **rule.url_args(world))
    response = client.open(url, method=rule.method, data=rule.data(world))
    assert response.status_code == rule.expect[persona], (
        f"{rule.id} as {persona}: got {response.status_code}"
    )
