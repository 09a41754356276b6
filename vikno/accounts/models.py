"""Staff accounts with one role and the scope that role is bound to; API tokens for machines."""

from __future__ import annotations

import copy
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from vikno.core.scoping import Role, ScopedQuerySet
from vikno.core.ttlcache import TtlCache
from vikno.orgs.models import Center, Office, Provider, Region

TOKEN_CACHE_SECONDS = 5
TOKEN_CACHE_SIZE = 1000
# Per process, see ApiToken.authenticate and default_office.
_tokens = TtlCache(TOKEN_CACHE_SECONDS, TOKEN_CACHE_SIZE)  # key hash -> ApiToken with its user
_offices = TtlCache(TOKEN_CACHE_SECONDS, TOKEN_CACHE_SIZE)  # user id -> first active office


def forget_tokens(**_kwargs) -> None:
    """Empty this process's token and office caches (connected to saves and deletes of tokens,
    users and offices, and to changes of a user's offices)."""
    _tokens.clear()
    _offices.clear()


def default_office(user: User) -> Office | None:
    """The user's first active office (lowest id) with its center: where an API client without a
    chosen office works. Kept per process like tokens (``TOKEN_CACHE_SECONDS``), so an office
    closed or taken from the user in another process is honoured within those seconds."""
    return _offices.get(
        user.pk, lambda: user.offices.filter(is_active=True).select_related("center").order_by("pk").first()
    )


class User(AbstractUser):
    """A staff member. Citizens do not have accounts here."""

    # Staff accounts are scoped like other objects (``staff_visible_to``): a center's staff by its
    # column; providers and oblasts do not manage accounts.
    SCOPE_FIELDS = {"center": "center_id"}

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ADMINISTRATOR)
    patronymic = models.CharField(max_length=150, blank=True)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    offices = models.ManyToManyField(
        Office,
        blank=True,
        related_name="staff",
        help_text="Administrators: the offices of their center where they work.",
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    phone = models.CharField(max_length=40, blank=True)
    demo_mfa_exempt = models.BooleanField(
        default=False, help_text="DEMO ONLY: may log in without a second factor while VIKNO_DEMO_MODE is on."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_role_scope_consistent",
                condition=(
                    Q(
                        role__in=["administrator", "center_head"],
                        center__isnull=False,
                        provider__isnull=True,
                        region__isnull=True,
                    )
                    | Q(role="officer", provider__isnull=False, center__isnull=True, region__isnull=True)
                    | Q(role="oblast_monitor", region__isnull=False, center__isnull=True, provider__isnull=True)
                    | Q(role="sysadmin", center__isnull=True, provider__isnull=True, region__isnull=True)
                ),
            )
        ]

    def full_name(self) -> str:
        return " ".join(p for p in [self.last_name, self.first_name, self.patronymic] if p) or self.username

    @property
    def scope_label(self) -> str:
        return str(self.center or self.provider or self.region or gettext("All"))


def staff_visible_to(user) -> models.QuerySet:
    """The staff accounts in ``user``'s scope (``core.scoping``): everyone for a system
    administrator, their center's staff for an administrator or head, none for the others. The
    manager stays Django's ``UserManager`` (it is part of the migrations)."""
    return ScopedQuerySet(model=User).visible_to(user)


class ApiToken(models.Model):
    """A bearer token for a machine client (kiosk, a СНАП's system). It acts as ``user``, with that
    user's role and scope. Only the SHA-256 of the secret is stored."""

    name = models.CharField(max_length=200)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """Create a token; returns it with the secret, which is shown once and never stored."""
        key = "vk_" + secrets.token_urlsafe(32)
        while key[3] == "-":  # a prefix starting with "-" reads as an option to `manage.py revoke_api_token`
            key = "vk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name, user=user, prefix=key[3:11], key_hash=cls.hash_key(key), expires_at=expires_at
        )
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The active user of a valid token, else None.

        A machine client sends many requests with one token, so each process keeps a found token
        for ``TOKEN_CACHE_SECONDS`` (5 s) instead of reading it on every request. Revoking a token or
        deactivating its user is therefore honoured at once by the process that does it (saving a
        token or a user empties that process's cache) and within those 5 seconds by every other
        worker process. Expiry is checked on every request. Unknown keys are never cached."""
        key_hash = cls.hash_key(key)
        now = timezone.now()
        token = _tokens.get(
            key_hash, lambda: cls.objects.select_related("user").filter(key_hash=key_hash, revoked=False).first()
        )
        if token is None:
            return None
        if not token.user.is_active or (token.expires_at and token.expires_at <= now):
            return None
        if not token.last_used_at or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # Each request gets its own copy of the user: code may cache things on request.user.
        return copy.copy(token.user)


models.signals.m2m_changed.connect(forget_tokens, sender=User.offices.through, dispatch_uid="forget_tokens_offices")
for _model in (User, ApiToken, Office):
    models.signals.post_save.connect(forget_tokens, sender=_model, dispatch_uid=f"forget_tokens_save_{_model.__name__}")
    models.signals.post_delete.connect(
        forget_tokens, sender=_model, dispatch_uid=f"forget_tokens_delete_{_model.__name__}"
    )
