"""HTTP layer: one package per area, each with a blueprint, its views and its forms.

Views parse the request, call one service, commit once, and render or redirect. Rules live in
services/, permission rules in services.policy and blueprints.access.
"""


def register_blueprints(app) -> None:
    from blueprints.admin import bp as admin_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.competitions import bp as competitions_bp
    from blueprints.home import bp as home_bp
    from blueprints.imports import bp as imports_bp
    from blueprints.jobs import bp as jobs_bp
    from blueprints.mentorship import bp as mentorship_bp
    from blueprints.messages import bp as messages_bp
    from blueprints.notices import bp as notices_bp
    from blueprints.proposals import bp as proposals_bp
    from blueprints.report import bp as report_bp
    from blueprints.search import bp as search_bp
    from blueprints.titles import bp as titles_bp
    from blueprints.training import bp as training_bp
    from blueprints.verify import bp as verify_bp
    from blueprints.workers import bp as workers_bp

    for blueprint in (
        home_bp, auth_bp, admin_bp, workers_bp, proposals_bp, competitions_bp, mentorship_bp,
        titles_bp, notices_bp, jobs_bp, messages_bp, search_bp, verify_bp, imports_bp, training_bp, report_bp,
    ):
        app.register_blueprint(blueprint)
