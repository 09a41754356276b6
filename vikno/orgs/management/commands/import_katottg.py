"""Import the КАТОТТГ codifier: ``manage.py import_katottg [path] [--region UA…]``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vikno.core.errors import ImportProblem
from vikno.orgs.importers import import_katottg

DEFAULT_FILE = "katottg/kodifikator-2025-07-02.csv"


class Command(BaseCommand):
    help = "Import or refresh regions, raions, hromadas and settlements from the КАТОТТГ codifier (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=f"CSV file; default: VIKNO_DATA_DIR/{DEFAULT_FILE}")
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            metavar="UA…",
            help="КАТОТТГ code of an oblast (level 1) to import; repeat for several. Default: all.",
        )

    def handle(self, *args, path=None, regions=None, **options):
        source = Path(path) if path else Path(settings.DATA_DIR) / DEFAULT_FILE
        if not source.is_file():
            raise CommandError(f"Файл не знайдено: {source}")
        try:
            report = import_katottg(source, region_codes=regions)
        except ImportProblem as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"Імпорт скасовано, нічого не змінено. Помилок: {len(exc.problems)}.") from None
        for line in report.lines():
            self.stdout.write(line)
