"""Export the catalog as CSV, XLSX or JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vikno.catalog.importers import FORMATS, export_catalog


class Command(BaseCommand):
    help = "Export the catalog (services in force today, with documents and ТК) as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output; required for XLSX).")

    def handle(self, *args, format, output=None, **options):
        if format == "xlsx" and not output:
            raise CommandError("XLSX — двійковий формат: вкажіть --output ФАЙЛ.")
        content = export_catalog(format)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(self.style.SUCCESS(f"Записано {len(content)} байт у {output}."))
        else:
            self.stdout.write(content.decode(), ending="")
