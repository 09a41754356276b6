"""Remove the intake scans staged for forms left with errors over a day ago (the task queue does it nightly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vikno.cases import staging


class Command(BaseCommand):
    help = (
        "Remove scans kept for intake forms that came back with errors and were not registered within a day; "
        "safe to run at any time."
    )

    def handle(self, *args, **options):
        removed = staging.sweep()
        self.stdout.write(f"{removed} staged scan(s) removed.")
