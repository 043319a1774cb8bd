"""Command-line tasks: `flask seed-demo`, `flask create-admin`, `flask tick` (periodic tasks),
`flask jobs-worker` (the background job worker on Redis), `flask seed-scale` (the benchmark's data) and
`flask pdf-fonts` (which PDF fonts are installed, and what is missing)."""

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

    @app.cli.command("seed-scale")
    @click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(0.0005, 2.0),
                  help="1.0 = the seed's city (2,500 enterprises, 250,000 workers); 0.1 = a tenth")
    @click.option("--seed", default=2026, show_default=True, help="random seed (runs are reproducible)")
    def seed_scale_command(scale, seed):
        """Bulk-generate the city's scale around the demo data, for `make bench` (refuses to run twice)."""
        from bench.seed import AlreadySeeded, seed_scale

        try:
            seed_scale(scale, seed=seed, progress=click.echo)
        except AlreadySeeded as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error

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
        from rq import Queue, SimpleWorker

        from services.jobs.connection import queue_name, redis_client

        connection = redis_client()
        if connection is None:
            raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the app process")
        SimpleWorker([Queue(queue_name(), connection=connection)], connection=connection).work(burst=burst)

    @app.cli.command("pdf-fonts")
    def pdf_fonts_command():
        """Say which PDF fonts (PDF_FONT_PATHS) are installed and what is missing; never fails, so `make run`
        works without them (names with characters only a missing font has are then refused in PDFs)."""
        from services.common.pdf import fonts

        found = fonts.font_set()
        for name, _codes in found.fonts:
            click.echo(f"PDF font: {name}")
        for path in found.missing_files:
            package = fonts.PACKAGE_OF.get(path.rsplit("/", 1)[-1], "?")
            click.echo(f"PDF font missing: {path} (Debian: apt-get install {package}); PDFs refuse names "
                       "with characters only this font has", err=True)

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
