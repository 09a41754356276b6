"""Create a staff account with a role and the scope that role needs."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from vikno.accounts import services
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.scoping import Role


class Command(BaseCommand):
    help = (
        "Create a staff account. Scope by role: administrator/center_head --center SLUG [--office ID ...], "
        "officer --provider ЄДРПОУ, oblast_monitor --region КАТОТТГ, sysadmin none."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--center", default="", help="Center slug (or id).")
        parser.add_argument("--provider", default="", help="Provider ЄДРПОУ (or id).")
        parser.add_argument("--region", default="", help="Region КАТОТТГ (or id).")
        parser.add_argument("--office", action="append", default=[], help="Office id (repeatable; administrators).")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--patronymic", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--password", action="store_true", help="Ask for a password (otherwise none is set).")

    def handle(self, *args, **options):
        password = None
        if options["password"]:
            password = getpass.getpass("Пароль: ")
            if password != getpass.getpass("Пароль ще раз: "):
                raise CommandError("Паролі не збігаються.")
        names = {
            field: options[field]
            for field in ("last_name", "first_name", "patronymic", "email", "phone")
            if options[field]
        }
        try:
            scope = services.resolve_scope(
                center=options["center"],
                provider=options["provider"],
                region=options["region"],
                offices=options["office"],
            )
            user = services.create_staff(
                username=options["username"],
                role=options["role"],
                actor=Actor(label="manage.py"),
                password=password,
                **scope,
                **names,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Створено: {user.username} — {user.get_role_display()} ({user.scope_label}).")
        if password is None:
            self.stdout.write(f"Пароль не встановлено: manage.py changepassword {user.username}")
