"""Staff login in two steps: password (with lockout by django-axes), then a TOTP or backup code."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from vikno.core.audit import actor_from_request, record
from vikno.core.security import mfa_satisfied

from . import services

BACKUP_CODES_SESSION_KEY = "fresh_backup_codes"


class LoginView(auth_views.LoginView):
    """Django's login view: its form calls ``authenticate(request, ...)``, which django-axes needs
    to count failures and refuse a locked-out username and address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record(actor_from_request(self.request), "login.password", self.request.user)
        if not mfa_satisfied(self.request.user):
            return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': self.get_success_url()})}")
        return response


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app or a backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


def _safe_next(request, default: str = "staff-home"):
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path of this site: anything else ("абв", a view name) would be looked up as a URL name.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse(default)


@never_cache
@login_required
def verify(request):
    """Second step: check a TOTP or a backup code. Without any device, go to the set-up page."""
    if mfa_satisfied(request.user):
        return redirect(_safe_next(request))
    if not services.has_second_factor(request.user):
        return redirect("accounts:totp-setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record(actor_from_request(request), "login.otp", request.user, data={"device": device.persistent_id})
            return redirect(_safe_next(request))
        record(actor_from_request(request), "login.otp_failed", request.user)
        form.add_error("token", _("The code is wrong or expired. Enter the current code from the app."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@login_required
def totp_setup(request):
    """Enrol an authenticator app: show a QR code, confirm with the first code, then show the
    backup codes once. A user who already has a second factor must pass it first, so a stolen
    password alone cannot replace the device."""
    if services.has_second_factor(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.path})}")
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            codes = services.confirm_totp_device(device, actor_from_request(request))
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("The authenticator app is connected."))
            return redirect("accounts:backup-codes")
        form.add_error("token", _("The code is wrong. Check the time on the phone and try again."))
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr_svg": services.totp_qr_svg(device),
            "secret": services.totp_secret_b32(device),
        },
    )


@never_cache
@login_required
def backup_codes(request):
    """The backup codes issued at set-up, shown exactly once (they are then dropped from the session)."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(actor_from_request(request), "logout", request.user)
    logout(request)
    return redirect("accounts:login")


@never_cache
@login_required
def account(request):
    """The staff member's own account: change the password, replace the backup codes. Both need a
    session that passed the second factor (``/accounts/`` is open before it, so this checks itself)."""
    if not mfa_satisfied(request.user):
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.path})}")
    form = PasswordChangeForm(request.user, prefix="password")
    status = 200
    if request.method == "POST":
        actor = actor_from_request(request)
        if "backup_codes" in request.POST:
            request.session[BACKUP_CODES_SESSION_KEY] = services.issue_backup_codes(request.user, actor)
            return redirect("accounts:backup-codes")
        form = PasswordChangeForm(request.user, request.POST, prefix="password")
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)  # this session stays signed in; the others end
            record(actor, "account.password_changed", user)
            messages.success(request, _("The password is changed."))
            return redirect("accounts:account")
        status = 400
    return render(request, "accounts/account.html", {"form": form}, status=status)
