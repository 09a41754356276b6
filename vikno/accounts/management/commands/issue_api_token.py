"""Issue an API token for a staff account; the secret is printed once and never stored."""

from django.core.management.base import BaseCommand, CommandError

from vikno.accounts import services
from vikno.accounts.models import User
from vikno.core.audit import Actor
from vikno.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token acting as USERNAME (with that user's role and scope). Prints the secret once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'Кіоск у холі'.")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires (default: no expiry).")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Користувача «{username}» не знайдено.")
        try:
            token, secret = services.issue_api_token(user, name, days=days, actor=Actor(label="manage.py"))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        expiry = f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "безстроковий"
        self.stdout.write(f"Токен «{token.name}» для {user.username} (префікс {token.prefix}, діє до: {expiry}).")
        self.stdout.write("Секрет показано лише зараз — збережіть його:")
        self.stdout.write(secret)
