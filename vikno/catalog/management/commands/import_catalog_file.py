"""Import a catalog file (CSV, XLSX or JSON, as made by export_catalog)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vikno.catalog.importers import FORMATS, import_catalog
from vikno.core.audit import Actor
from vikno.core.errors import DomainError, ImportProblem


class Command(BaseCommand):
    help = "Import services (and, for XLSX/JSON, reference data) from a catalog file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV, XLSX or JSON file.")
        parser.add_argument("--format", choices=FORMATS, help="File format (default: from the file extension).")

    def handle(self, *args, path, format=None, **options):
        file_path = Path(path)
        fmt = format or file_path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("Вкажіть --format csv, xlsx або json.")
        if not file_path.is_file():
            raise CommandError(f"Файл {file_path} не знайдено.")
        try:
            with file_path.open("rb") as handle:
                report = import_catalog(handle, fmt, actor=Actor(label="import_catalog_file"))
        except ImportProblem as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"Імпорт скасовано, помилок: {len(exc.problems)}.") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Імпорт файлу завершено."))
