"""Revoke an API token by its prefix (the 8 characters after ``vk_``)."""

from django.core.management.base import BaseCommand, CommandError

from vikno.accounts import services
from vikno.core.audit import Actor
from vikno.core.errors import DomainError


class Command(BaseCommand):
    help = "Revoke the API token with the given PREFIX (shown at issue and in the admin)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        try:
            token = services.revoke_api_token(prefix, actor=Actor(label="manage.py"))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Токен «{token.name}» ({token.prefix}…) відкликано.")
