"""Import the shared seed catalog (spheres, life situations, ПМ, fee rules, services, information cards)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vikno.catalog.importers import import_shared_catalog
from vikno.core.audit import Actor
from vikno.core.errors import ImportProblem


class Command(BaseCommand):
    help = "Import shared/data/services and shared/data/fees into the catalog (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(settings.DATA_DIR),
            help="Folder holding services/ and fees/ (default: VIKNO_DATA_DIR).",
        )

    def handle(self, *args, data_dir, **options):
        path = Path(data_dir)
        if not (path / "services").is_dir():
            raise CommandError(f"У теці {path} немає підтеки services/.")
        try:
            report = import_shared_catalog(path, actor=Actor(label="import_catalog"))
        except ImportProblem as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message.split(".")[0] + ".") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Імпорт каталогу завершено."))
