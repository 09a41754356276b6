"""The «Staff» pages (``/staff/people/``): the accounts a system administrator (all) or a center
head (their center's) manages. Accounts are fetched through ``services.manageable_staff``, so one
outside the user's scope answers 404; every change goes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, NotFound
from vikno.core.pagination import paginate
from vikno.core.scoping import Role
from vikno.core.staff import staff_required

from . import services
from .forms import StaffCreateForm, TokenIssueForm

SHOWN_ONCE_KEY = "people_shown_once"  # {"user": pk, "password" | "token": secret}, popped by the detail page


@staff_required(*services.STAFF_MANAGERS)
def people_list(request):
    query = request.GET.get("q", "").strip()[:150]
    people = services.staff_overview(request.user, query)
    try:
        page = paginate(people, key=("username", "id"), cursor=request.GET.get("cursor") or None, limit=50)
    except DomainError:
        raise Http404 from None
    return render(request, "accounts/people_list.html", {"page": page, "people": page.items, "q": query})


@staff_required(*services.STAFF_MANAGERS)
def people_create(request):
    form = StaffCreateForm(request.POST if request.method == "POST" else None, manager=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            typed = form.cleaned_data["password"]
            password = typed or services.generate_initial_password()
            try:
                user = services.create_staff(
                    **form.service_arguments(), password=password, actor=actor_from_request(request)
                )
            except DomainError as error:
                form.apply_error(error)
                status = error.status
            else:
                if not typed:
                    request.session[SHOWN_ONCE_KEY] = {"user": user.pk, "password": password}
                messages.success(request, _("The account «%(username)s» is created.") % {"username": user.username})
                return redirect("people:detail", pk=user.pk)
    return render(request, "accounts/people_create.html", {"form": form}, status=status)


def _target(request, pk: int):
    return get_object_or_404(services.staff_overview(request.user), pk=pk)


def _detail_page(request, person, *, token_form=None, status=200):
    shown = request.session.pop(SHOWN_ONCE_KEY, None) if status == 200 else None
    if shown and shown.get("user") != person.pk:
        shown = None
    is_sysadmin = request.user.role == Role.SYSADMIN
    context = {
        "person": person,
        "shown": shown,
        "is_self": person.pk == request.user.pk,
        "can_change": services.may_manage(request.user, person),
        "tokens": person.api_tokens.order_by("-created_at") if is_sysadmin else None,
        "token_form": (token_form or TokenIssueForm()) if is_sysadmin else None,
    }
    return render(request, "accounts/people_detail.html", context, status=status)


@never_cache
@staff_required(*services.STAFF_MANAGERS)
def people_detail(request, pk: int):
    return _detail_page(request, _target(request, pk))


def _change(request, pk: int, operation, done: str):
    person = _target(request, pk)
    try:
        operation(person, actor=actor_from_request(request))
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
        return _detail_page(request, person, status=error.status)
    messages.success(request, done)
    return redirect("people:detail", pk=person.pk)


@require_POST
@staff_required(*services.STAFF_MANAGERS)
def people_deactivate(request, pk: int):
    return _change(request, pk, services.deactivate_staff, _("The account is deactivated."))


@require_POST
@staff_required(*services.STAFF_MANAGERS)
def people_reactivate(request, pk: int):
    return _change(request, pk, services.reactivate_staff, _("The account is active again."))


@require_POST
@staff_required(*services.STAFF_MANAGERS)
def people_reset_second_factor(request, pk: int):
    return _change(
        request,
        pk,
        services.reset_second_factor,
        _("The second factor is reset: the person connects a new authenticator app at the next login."),
    )


@require_POST
@staff_required(*services.STAFF_MANAGERS)
def people_unlock(request, pk: int):
    return _change(request, pk, services.unlock_staff, _("The lockout is lifted: the person can log in again."))


@require_POST
@staff_required(Role.SYSADMIN)
def token_issue(request, pk: int):
    person = _target(request, pk)
    form = TokenIssueForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.issue_api_token(
                person, form.cleaned_data["name"], days=form.cleaned_data["days"], actor=actor_from_request(request)
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            request.session[SHOWN_ONCE_KEY] = {"user": person.pk, "token": secret}
            messages.success(request, _("The API token is issued."))
            return redirect("people:detail", pk=person.pk)
    return _detail_page(request, person, token_form=form, status=400)


@require_POST
@staff_required(Role.SYSADMIN)
def token_revoke(request, pk: int, token_pk: int):
    person = _target(request, pk)
    token = get_object_or_404(person.api_tokens, pk=token_pk)
    try:
        services.revoke_token(token, actor=actor_from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
        return _detail_page(request, person, status=error.status)
    messages.success(request, _("The API token is revoked."))
    return redirect("people:detail", pk=person.pk)
