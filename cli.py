"""Command-line tasks: `flask seed-demo` and `flask create-admin`."""

from __future__ import annotations

import click
from flask import Flask

import demo
from models import Role, db
from services.accounts import people
from services.errors import DomainError


def register_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo data (idempotent: adds only what is missing)."""
        added = demo.seed_demo()
        db.session.commit()
        click.echo(f"demo data: {added['enterprises']} enterprises and {added['accounts']} accounts added")

    @app.cli.command("create-admin")
    @click.option("--username", required=True, help="login name")
    @click.option("--name", required=True, help="the person's name")
    @click.option("--phone", default=None, help="mainland mobile number (optional)")
    @click.password_option(help="initial password (asked for when not given)")
    def create_admin_command(username, name, phone, password):
        """Create a union administrator account."""
        profile = people.Profile(name=name, username=username, phone=phone, roles={Role.ADMIN})
        try:
            user = people.create_admin(profile, password)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from error
        db.session.commit()
        click.echo(f"created administrator {user.username} (id {user.id})")
