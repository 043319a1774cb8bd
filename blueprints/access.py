"""View-level access rules: `roles_required` for whole views, `public` for pages without login.

Every view carries one of the two, so the route x role walk in tests/views/test_route_walk.py can
state the rule for every route. Per-object rules are in services.policy.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from models import Role


def roles_required(*roles: Role):
    """Logged in (else redirect to login) and holding at least one of `roles` (else 403).

    With no roles given, any logged-in user may enter.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = roles
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone, logged in or not."""
    view.access_public = True
    return view
