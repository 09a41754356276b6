"""Staff login in two steps: password (with lockout by django-axes), then a TOTP code."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.core.audit import actor_from_request, record
from vikno.core.security import mfa_satisfied

from . import services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record(actor_from_request(self.request), "login.password", self.request.user)
        if not mfa_satisfied(self.request.user):
            return redirect(f"{_verify_url()}?next={self.get_success_url()}")
        return response


def _verify_url() -> str:
    from django.urls import reverse

    return reverse("accounts:verify")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request, default: str = "staff-home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
def verify(request):
    """Second step: check a TOTP (or a backup) code. Without a device, go to the set-up page."""
    if mfa_satisfied(request.user):
        return redirect(_safe_next(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:totp-setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            record(actor_from_request(request), "login.otp", request.user)
            return redirect(_safe_next(request))
        record(actor_from_request(request), "login.otp_failed", request.user)
        form.add_error("token", _("The code is wrong or expired. Enter the current code from the app."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def totp_setup(request):
    """Enrol an authenticator app: show a QR code, confirm with the first code."""
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            services.confirm_totp_device(device, actor_from_request(request))
            otp_login(request, device)
            messages.success(request, _("The authenticator app is connected."))
            return redirect("staff-home")
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


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(actor_from_request(request), "logout", request.user)
    logout(request)
    return redirect("accounts:login")


def locked(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked.html", status=429)
