"""Load the demo region (idempotent) and print where to go and how to log in."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vikno.core.errors import DomainError
from vikno.demo import loader, region


class Command(BaseCommand):
    help = "Load the demo oblast, its centers, providers, catalog and staff; print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=None, help="Folder of the shared data sets.")

    def handle(self, *args, data_dir=None, **options):
        try:
            report = loader.load(data_dir)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines:
            self.stdout.write(line)
        base = settings.PUBLIC_BASE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Vikno demo: {base}/"))
        self.stdout.write(f"  Staff workplace: {base}/staff/   API docs: {base}/api/v1/docs")
        mfa = (
            "DEMO accounts skip the second factor while VIKNO_DEMO_MODE is on"
            if settings.DEMO_MODE
            else ("second factor required: set up an authenticator app on first login")
        )
        self.stdout.write(f"  Password for every demo login: {region.DEMO_PASSWORD}  ({mfa})")
        for username, role, scope in report.logins:
            self.stdout.write(f"    {username:<22} {role} — {scope}")
