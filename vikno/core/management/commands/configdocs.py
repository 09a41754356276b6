"""Write docs/configuration.md from the documented environment variables (or --check it)."""

from django.core.management.base import BaseCommand, CommandError

from vikno.conf import BASE_DIR, render_markdown


class Command(BaseCommand):
    help = "Generate docs/configuration.md from the settings declarations."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file is out of date.")

    def handle(self, *args, check=False, **options):
        target = BASE_DIR / "docs" / "configuration.md"
        text = render_markdown() + "\n"
        if check:
            if not target.exists() or target.read_text() != text:
                raise CommandError("docs/configuration.md is out of date: run `manage.py configdocs`.")
            return
        target.write_text(text)
        self.stdout.write(f"Wrote {target}")
