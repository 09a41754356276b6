"""Check the hash chains of the audit log; exits with an error when any chain is broken."""

from django.core.management.base import BaseCommand, CommandError

from vikno.core.audit import verify_all, verify_chain


class Command(BaseCommand):
    help = "Verify every audit chain (or one, with --chain) and print the problems found per chain."

    def add_arguments(self, parser):
        parser.add_argument("--chain", default="", help="Only this chain, e.g. 'center:12' or 'global'.")

    def handle(self, *args, chain="", **options):
        results = {chain: verify_chain(chain)} if chain else verify_all()
        broken = 0
        for name, problems in results.items():
            if problems:
                broken += 1
                self.stdout.write(f"{name}: ПОРУШЕНО ({len(problems)})")
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
            else:
                self.stdout.write(f"{name}: гаразд")
        if broken:
            raise CommandError(f"Ланцюжків з порушеннями: {broken} з {len(results)}.")
        self.stdout.write(f"Усі ланцюжки цілі ({len(results)}).")
