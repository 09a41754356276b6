"""Rebuild the dirty roll-ups, or (with --center/--from/--to) every day of a range."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from vikno.orgs.models import Center
from vikno.reports import rollup


class Command(BaseCommand):
    help = "Rebuild the daily report roll-ups marked dirty, or a whole date range of centers."

    def add_arguments(self, parser):
        parser.add_argument("--center", type=int, action="append", help="Center id (repeatable; default all).")
        parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, help="Last day, YYYY-MM-DD.")

    def handle(self, *args, center=None, date_from=None, date_to=None, **options):
        if date_from is None and date_to is None:
            done = rollup.refresh_dirty()
            self.stdout.write(f"Rebuilt {done} center-days.")
            return
        if date_from is None or date_to is None or date_from > date_to:
            raise CommandError("Give both --from and --to, with --from not after --to.")
        centers = center or list(Center.objects.values_list("pk", flat=True))
        rollup.rebuild_range(date_from, date_to, centers)
        self.stdout.write(f"Rebuilt {len(centers)} centers from {date_from} to {date_to}.")
