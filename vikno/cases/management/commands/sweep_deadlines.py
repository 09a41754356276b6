"""Run the daily deadline sweep now (the task queue runs it every morning by itself)."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vikno.cases import deadlines


class Command(BaseCommand):
    help = (
        "Escalate overdue cases to the heads of their centers and remind applicants of results not collected; "
        "safe to run again, nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Pretend the current moment is this ISO date-time (Kyiv time unless an offset is given).",
        )

    def handle(self, *args, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now={now!r} is not an ISO date-time such as 2025-09-05T08:00.")
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=deadlines.KYIV)
        report = deadlines.sweep(moment)
        self.stdout.write(str(report))
