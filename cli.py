"""Command-line tasks: `flask seed-demo`, `flask create-admin`, `flask tick` (periodic tasks) and
`flask jobs-worker` (the background job worker on Redis)."""

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

    @app.cli.command("tick")
    def tick_command():
        """Run the periodic tasks that are due (cron / systemd timer every few minutes; idempotent)."""
        from services.jobs.scheduler import tick

        for name, outcome in tick().items():
            click.echo(f"{name}: {outcome}")

    @app.cli.command("jobs-worker")
    @click.option("--burst", is_flag=True, help="stop when the queue is empty")
    def jobs_worker_command(burst):
        """Run background jobs from the Redis queue (production; needs REDIS_URL)."""
        from redis import Redis
        from rq import Queue, SimpleWorker

        from services.jobs.queue import QUEUE_NAME

        url = app.config.get("REDIS_URL")
        if not url:
            raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the app process")
        connection = Redis.from_url(url)
        SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)

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
