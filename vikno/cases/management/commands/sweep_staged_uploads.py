"""Remove the files kept for refused intake forms and online applications left unfinished over a day ago
(the task queue does it every hour)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vikno.cases import staging


class Command(BaseCommand):
    help = (
        "Remove files kept for intake forms and online applications that were refused and not completed "
        "within a day; safe to run at any time."
    )

    def handle(self, *args, **options):
        removed = staging.sweep()
        self.stdout.write(f"{removed} staged file(s) removed.")
