"""Recount each service's cases of the last year for the catalog search (the task queue does it nightly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vikno.cases import demand


class Command(BaseCommand):
    help = "Recount how many cases of each service were filed in the last 365 days (the catalog search ranks by it)."

    def handle(self, *args, **options):
        changed = demand.refresh()
        self.stdout.write(f"Services with a changed demand: {changed}")
