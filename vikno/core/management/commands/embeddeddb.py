"""Start, stop or show the embedded PostgreSQL server (used when DATABASE_URL is empty)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vikno.core.db.embedded import server


class Command(BaseCommand):
    help = "Manage the embedded PostgreSQL server: start | stop | status."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action, **options):
        if settings.DATABASE_URL:
            raise CommandError("DATABASE_URL is set: the embedded server is not used.")
        pgdata = settings.PGDATA
        if action == "start":
            socket_dir = server.ensure_running(pgdata, keep_running=True)
            self.stdout.write(f"Embedded PostgreSQL runs: data {pgdata}, socket {socket_dir}")
        elif action == "stop":
            stopped = server.stop(pgdata)
            self.stdout.write("Stopped." if stopped else "Not running.")
        else:
            from pathlib import Path

            running = (Path(pgdata) / "postmaster.pid").exists()
            self.stdout.write(f"{'running' if running else 'stopped'}: {pgdata}")
