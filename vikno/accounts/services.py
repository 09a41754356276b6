"""Account operations: the second factor (TOTP and backup codes), staff creation with a validated
scope, API tokens. Every change is audited in the same transaction.

Contract:
- ``verify_second_factor(user, token) -> Device | None``
- ``confirm_totp_device(device, actor) -> list[str]`` (the new backup codes, shown once)
- ``create_staff(*, username, role, center=None, provider=None, region=None, offices=(), actor, **names) -> User``
- ``issue_api_token(user, name, *, days=None, actor) -> (ApiToken, secret)``
- ``revoke_api_token(prefix, *, actor) -> ApiToken``; ``revoke_token(token, *, actor) -> ApiToken``
- managing accounts (the «Staff» pages): ``manageable_staff(user)``, ``staff_overview(user)``,
  ``deactivate_staff``, ``reactivate_staff``, ``reset_second_factor``, ``unlock_staff``
  (each ``(target, *, actor)``; a system administrator may act on anyone, a center head on the
  administrators of their own center, nobody on another center's accounts: 404)
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import timedelta

import segno
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.core.audit import Actor, record
from vikno.core.errors import DomainError, NotFound, PermissionDenied
from vikno.core.scoping import ROLE_SCOPE_KIND, Role
from vikno.orgs.models import Center, Office, Provider, Region

from .models import ApiToken, User, staff_visible_to

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Резервні коди"  # stored as the device's name

# --- Second factor -------------------------------------------------------------------------------


def has_second_factor(user) -> bool:
    """Whether the user has any confirmed device (an authenticator app or backup codes)."""
    return user_has_device(user, confirmed=True)


def pending_totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Застосунок автентифікації", confirmed=False)  # stored
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("QR code for the authenticator app"))


def _normalise_token(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def verify_second_factor(user, token: str):
    """The confirmed device that accepts ``token``, or None. Six digits are checked against the
    authenticator app, anything else against the backup codes (a used backup code is spent).
    Each device throttles repeated failures itself."""
    token = _normalise_token(token)
    if not token:
        return None
    wanted = TOTPDevice if token.isdigit() and len(token) <= 8 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, wanted) and device.verify_token(token):
                return device
    return None


@transaction.atomic
def issue_backup_codes(user, actor: Actor) -> list[str]:
    """Replace the user's backup codes with ``BACKUP_CODE_COUNT`` new single-use codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(actor, "mfa.backup_codes_issued", user, data={"count": len(codes)})
    return codes


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, actor: Actor) -> list[str]:
    """Make ``device`` the user's only authenticator app and issue fresh backup codes."""
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor, "mfa.totp_enrolled", device.user)
    return issue_backup_codes(device.user, actor)


# --- Staff ---------------------------------------------------------------------------------------

ROLE_SCOPE_MESSAGES = {
    "center": gettext_lazy("The role «%(role)s» needs a center (and neither a provider nor an oblast)."),
    "provider": gettext_lazy("The role «%(role)s» needs a provider (and neither a center nor an oblast)."),
    "region": gettext_lazy("The role «%(role)s» needs an oblast (and neither a center nor a provider)."),
    "all": gettext_lazy("A system administrator is not tied to a center, a provider or an oblast."),
}
SCOPE_FIELD = {"center": "center", "provider": "provider", "region": "region", "all": "role"}
NAME_FIELDS = {"first_name", "last_name", "patronymic", "email", "phone"}


def _validate_scope(role: str, center, provider, region, offices) -> None:
    if role not in Role.values:
        raise DomainError(
            _("Unknown role. Allowed: %(roles)s.") % {"roles": ", ".join(f"{r.value} ({r.label})" for r in Role)},
            code="invalid_role",
            field="role",
        )
    kind = ROLE_SCOPE_KIND[Role(role)]
    given = {"center": center, "provider": provider, "region": region}
    expected = {k for k in given if k == kind}
    if {k for k, v in given.items() if v is not None} != expected:
        raise DomainError(
            str(ROLE_SCOPE_MESSAGES[kind]) % {"role": Role(role).label},
            code="scope_mismatch",
            field=SCOPE_FIELD[kind],
        )
    if offices and role != Role.ADMINISTRATOR:
        raise DomainError(
            _("Offices (branches, remote workplaces) are assigned only to administrators of a center."),
            code="offices_not_allowed",
            field="offices",
        )
    foreign = [office for office in offices if office.center_id != getattr(center, "pk", None)]
    if foreign:
        raise DomainError(
            _(
                "The office «%(office)s» belongs to another center: an administrator can work only in the offices "
                "of their own center."
            )
            % {"office": foreign[0]},
            code="office_outside_center",
            field="offices",
        )


@transaction.atomic
def create_staff(
    *,
    username: str,
    role: str,
    center: Center | None = None,
    provider: Provider | None = None,
    region: Region | None = None,
    offices=(),
    actor: Actor,
    password: str | None = None,
    **names,
) -> User:
    """Create a staff account whose scope matches its role. Without ``password`` the account
    cannot log in until a password is set (``manage.py changepassword``). System administrators
    also get the Django admin (which asks for the second factor as well)."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_("Enter the username."), code="required", field="username")
    try:  # letters, digits and @ . + - _ (Django's rule), whether the account comes from the web or the CLI
        User.username_validator(username)
        if len(username) > User._meta.get_field("username").max_length:
            raise ValidationError(_("The username is too long (up to 150 characters)."))
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_username", field="username") from None
    unknown = set(names) - NAME_FIELDS
    if unknown:
        raise DomainError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
            field=min(unknown),
        )
    offices = list(offices)
    _validate_scope(role, center, provider, region, offices)
    _check_may_create(actor, role, center)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The username «%(username)s» is already taken.") % {"username": username},
            code="username_taken",
            field="username",
        )
    user = User(
        username=username,
        role=role,
        center=center,
        provider=provider,
        region=region,
        is_staff=role == Role.SYSADMIN,
        is_superuser=role == Role.SYSADMIN,
        **names,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), code="weak_password", field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(
            _("The staff member's role and scope do not match."), code="scope_mismatch", field="role"
        ) from None
    if offices:
        user.offices.set(offices)
    with translation.override("uk"):  # stored in the audit record: Ukrainian
        scope = user.scope_label
    record(
        actor,
        "staff.created",
        user,
        data={"role": role, "scope": scope, "offices": [o.pk for o in offices]},
    )
    return user


def _check_may_create(actor: Actor, role: str, center) -> None:
    """A person creating an account in the web pages: a system administrator any, a center head only
    administrators of their own center. Without a user (the command line, the demo) nothing is checked."""
    manager = actor.user if actor is not None else None
    if manager is None or manager.role == Role.SYSADMIN:
        return
    if manager.role != Role.CENTER_HEAD:
        raise PermissionDenied(_("Only a system administrator or a center head creates staff accounts."))
    if role != Role.ADMINISTRATOR or getattr(center, "pk", None) != manager.center_id:
        raise PermissionDenied(_("A center head creates only administrators of their own center."), field="role")


def generate_initial_password() -> str:
    """A one-time initial password (about 96 bits), shown once to the person creating the account."""
    return secrets.token_urlsafe(12)


def resolve_scope(*, center: str = "", provider: str = "", region: str = "", offices=()) -> dict:
    """Look up scope objects by slug / ЄДРПОУ / КАТОТТГ (or numeric id) for the command line."""
    found: dict = {"offices": []}
    if center:
        found["center"] = _lookup(Center, center, "slug", "center")
    if provider:
        found["provider"] = _lookup(Provider, provider, "edrpou", "provider")
    if region:
        found["region"] = _lookup(Region, region, "katottg", "region")
    for ref in offices:
        office = Office.objects.filter(pk=ref).first() if str(ref).isdigit() else None
        if office is None:
            raise NotFound(_("Office with id «%(ref)s» not found.") % {"ref": ref}, field="offices")
        found["offices"].append(office)
    return found


def _not_found(form_field: str, ref: str) -> str:
    if form_field == "center":
        return _("Center «%(ref)s» not found.") % {"ref": ref}
    if form_field == "provider":
        return _("Provider «%(ref)s» not found.") % {"ref": ref}
    return _("Oblast «%(ref)s» not found.") % {"ref": ref}


def _lookup(model, ref: str, field: str, form_field: str):
    query = {"pk": int(ref)} if ref.isdigit() and field != "edrpou" else {field: ref}
    obj = model.objects.filter(**query).first()
    if obj is None and ref.isdigit():
        obj = model.objects.filter(pk=int(ref)).first()
    if obj is None:
        raise NotFound(_not_found(form_field, ref), field=form_field)
    return obj


# --- API tokens ----------------------------------------------------------------------------------


def _check_token_manager(actor: Actor) -> None:
    manager = actor.user if actor is not None else None
    if manager is not None and manager.role != Role.SYSADMIN:
        raise PermissionDenied(_("Only a system administrator issues and revokes API tokens."))


@transaction.atomic
def issue_api_token(user: User, name: str, *, days: int | None = None, actor: Actor) -> tuple[ApiToken, str]:
    """A new token acting as ``user``; returns it with the secret, which is never stored."""
    _check_token_manager(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("Enter the name of the token (for example, «Kiosk in the hall»)."), code="required", field="name"
        )
    if days is not None and days < 1:
        raise DomainError(_("A token is valid for at least 1 day."), code="invalid_days", field="days")
    if not user.is_active:
        raise DomainError(_("The account is disabled: no token is issued for it."), code="inactive", field="user")
    expires_at = timezone.now() + timedelta(days=days) if days else None
    token, secret = ApiToken.issue(user, name, expires_at=expires_at)
    record(
        actor,
        "api_token.issued",
        user,
        data={"token": token.prefix, "name": name, "expires_at": expires_at},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(prefix: str, *, actor: Actor) -> ApiToken:
    prefix = (prefix or "").strip()
    if prefix.startswith("vk_"):
        prefix = prefix[3:11]
    matches = list(ApiToken.objects.select_for_update().filter(prefix=prefix, revoked=False)[:2])
    if not matches:
        raise NotFound(_("No valid token with the prefix «%(prefix)s» found.") % {"prefix": prefix}, field="prefix")
    if len(matches) > 1:
        raise DomainError(
            _("Several tokens have the prefix «%(prefix)s»; revoke the right one in the admin.") % {"prefix": prefix},
            code="ambiguous",
            field="prefix",
        )
    return revoke_token(matches[0], actor=actor)


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    """Revoke one token (already revoked: refused)."""
    _check_token_manager(actor)
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked:
        raise DomainError(_("The token is already revoked."), code="already_revoked", field="token")
    token.revoked = True
    token.save(update_fields=["revoked"])
    record(actor, "api_token.revoked", token.user, data={"token": token.prefix, "name": token.name})
    return token


# --- Managing staff accounts ----------------------------------------------------------------------

STAFF_MANAGERS = (Role.SYSADMIN, Role.CENTER_HEAD)


def manageable_staff(user) -> QuerySet:
    """The accounts ``user`` may see on the «Staff» pages: all for a system administrator, their
    center's for a center head, none for anyone else."""
    if getattr(user, "role", None) not in STAFF_MANAGERS:
        return User.objects.none()
    return staff_visible_to(user)


def _lockouts(username_ref) -> QuerySet:
    """django-axes records that lock ``username_ref`` out now (a failure count at the limit within
    the cool-off time)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings

    attempts = AccessAttempt.objects.filter(
        username=username_ref, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def staff_overview(user, query: str = "") -> QuerySet:
    """``manageable_staff`` with ``has_second_factor`` and ``locked_out`` (bools) on each row; with
    ``query``, only the accounts whose login or name contains it."""
    confirmed_totp = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    confirmed_codes = StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    people = manageable_staff(user)
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
        )
    return people.select_related("center", "provider", "region").annotate(
        has_totp=Exists(confirmed_totp),
        has_codes=Exists(confirmed_codes),
        locked_out=Exists(_lockouts(OuterRef("username"))),
    )


def is_locked_out(target: User) -> bool:
    return _lockouts(target.username).exists()


def may_manage(manager: User, target: User) -> bool:
    """Whether ``manager`` may change ``target``'s account (``check_may_manage`` without the refusal)."""
    try:
        check_may_manage(Actor(user=manager), target)
    except DomainError:
        return False
    return True


def check_may_manage(actor: Actor, target: User) -> None:
    """Refuse ``actor`` changing ``target``'s account: an account outside the actor's scope is not
    found (404); a center head may change only the administrators of their own center (403)."""
    manager = actor.user if actor is not None else None
    if manager is None or manager.role == Role.SYSADMIN:
        return
    if manager.role != Role.CENTER_HEAD or target.center_id is None or target.center_id != manager.center_id:
        raise NotFound(_("Staff account not found."))
    if target.role != Role.ADMINISTRATOR:
        raise PermissionDenied(
            _("A center head changes only the accounts of administrators; ask a system administrator.")
        )


def _refuse_self(actor: Actor, target: User, message: str) -> None:
    if actor is not None and actor.user_id == target.pk:
        raise PermissionDenied(message, code="own_account")


def _set_active(target: User, active: bool, *, actor: Actor, already: DomainError) -> User:
    """Switch ``target``'s account on or off under a row lock, refusing a switch to the state it has
    (the caller audits it, in the same transaction)."""
    check_may_manage(actor, target)
    target = User.objects.select_for_update().get(pk=target.pk)
    if target.is_active == active:
        raise already
    target.is_active = active
    target.save(update_fields=["is_active"])
    return target


@transaction.atomic
def deactivate_staff(target: User, *, actor: Actor) -> User:
    """Disable an account: its sessions end at their next request and its API tokens stop working."""
    _refuse_self(actor, target, _("You cannot deactivate your own account."))
    already = DomainError(_("The account is already deactivated."), code="already_inactive")
    target = _set_active(target, False, actor=actor, already=already)
    record(actor, "staff.deactivated", target)
    return target


@transaction.atomic
def reactivate_staff(target: User, *, actor: Actor) -> User:
    already = DomainError(_("The account is already active."), code="already_active")
    target = _set_active(target, True, actor=actor, already=already)
    record(actor, "staff.reactivated", target)
    return target


@transaction.atomic
def reset_second_factor(target: User, *, actor: Actor) -> int:
    """Delete the authenticator apps and backup codes of ``target`` (a lost phone): they enrol a new
    app at their next login. Returns the number of devices removed."""
    _refuse_self(
        actor,
        target,
        _("You cannot reset your own second factor here; ask another administrator or a system administrator."),
    )
    check_may_manage(actor, target)
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=target).delete()[1].get(model._meta.label, 0)
    if not removed:
        raise DomainError(_("The account has no second factor to reset."), code="no_second_factor")
    record(actor, "staff.second_factor_reset", target, data={"devices": removed})
    return removed


@transaction.atomic
def unlock_staff(target: User, *, actor: Actor) -> int:
    """Lift django-axes' lockout of ``target``'s username (every address). Returns the number of
    failure records removed."""
    from axes.utils import reset

    check_may_manage(actor, target)
    if not is_locked_out(target):
        raise DomainError(_("The account is not locked out."), code="not_locked")
    removed = reset(username=target.username)
    record(actor, "staff.unlocked", target, data={"attempts": removed})
    return removed


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failed logins under (``AXES_USERNAME_CALLABLE``): what was typed,
    cut to the longest username there can be. axes keeps it in a 255-character column, and a longer
    name typed into a login form (Django's form checks the length only after trying the password)
    made the failed attempt's write fail with a 500."""
    source = credentials or getattr(request, "data", request.POST)
    typed = source.get("username")
    if typed is None:
        return None
    return str(typed)[: User._meta.get_field(User.USERNAME_FIELD).max_length]
