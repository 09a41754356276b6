"""Give each office colour-coded sectors (Р, С, А) and windows, unless it already has queues."""

from django.core.management.base import BaseCommand, CommandError

from vikno.core.errors import DomainError
from vikno.queue.demo import setup_demo_queues


class Command(BaseCommand):
    help = "Create demo queues (orange Р, green С, blue А) and windows in every office that has none."

    def add_arguments(self, parser):
        parser.add_argument("--center", action="append", default=None, help="Slug of a center (repeatable).")

    def handle(self, *args, center=None, **options):
        try:
            line = setup_demo_queues(centers=center)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(line)
