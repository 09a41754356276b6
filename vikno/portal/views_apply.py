"""Online application on the portal, and documents added from the status page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vikno.cases import staging
from vikno.core.errors import DomainError, NotFound
from vikno.orgs.models import Center

from . import services
from .forms_citizen import ApplyForm, MissingDocumentForm
from .views import _count_failure, _find, _too_many

APPLICANT_FIELDS = ("last_name", "first_name", "patronymic", "rnokpp", "phone", "email", "sms_consent", "email_consent")


def public_center(slug: str) -> Center:
    return get_object_or_404(Center, slug=slug, is_active=True)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _posted(request) -> tuple:
    """The data and files of a POST (bound even when empty: a POST with no fields shows the required-field
    errors — ``request.POST or None`` would leave the form unbound and answer a 400 without a message)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _show_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def apply_index(request, slug):
    center = public_center(slug)
    return render(request, "portal/apply_index.html", {"center": center, "services": services.online_services(center)})


def apply(request, slug, code):
    center = public_center(slug)
    try:
        service, version = services.online_service(center, code)
    except NotFound:
        raise Http404 from None
    documents = list(version.documents.order_by("position"))
    staged = {}
    if request.method == "POST":
        tokens = {f"doc_{d.position}": request.POST.get(f"doc_{d.position}_staged", "") for d in documents}
        staged = staging.resolve(request, tokens)
    form = ApplyForm(*_posted(request), documents=documents, staged=staged)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        data = form.applicant_data((*APPLICANT_FIELDS, "data_consent"))
        files = {name: request.FILES[name] for name in form.document_fields if name in request.FILES}
        try:
            if valid:
                case = services.submit_application(center, service, data, files, staged=staged)
                request.session["portal_applied"] = {"number": case.number, "code": case.access_code}
                return redirect(reverse("citizen:apply-done", args=[center.slug]))
            # The form has errors of its own: the domain checks still run, so one round shows them all.
            services.check_application(center, service, data, files, staged=staged)
        except DomainError as exc:
            for error in exc.all:
                if not (error.field in form.fields and form.errors.get(error.field)):
                    _show_error(form, error)
        accepted = {name: upload for name, upload in files.items() if not form.errors.get(name)}
        if accepted:  # kept for this session (``cases.staging``), replacing a field's earlier file
            form.keep(staging.stage(request, accepted, replacing=staged))
        status = 400
    context = {"center": center, "service": service, "version": version, "form": form}
    return _no_store(render(request, "portal/apply.html", context, status=status))


def apply_done(request, slug):
    center = public_center(slug)
    applied = request.session.get("portal_applied")
    if not applied:
        return redirect(reverse("citizen:apply-index", args=[center.slug]))
    return _no_store(render(request, "portal/apply_done.html", {"center": center, **applied}))


@require_http_methods(["GET", "HEAD", "POST"])
def add_document(request):
    """The upload form shown on the status page while the case needs clarification. A GET (a reload, a
    bookmark, a link) leads back to the status form instead of an empty «405» page."""
    if request.method != "POST":
        return redirect(reverse("portal:status"))
    form = MissingDocumentForm(request.POST, request.FILES, auto_id="id_doc_%s")
    if _too_many(request):
        return render(request, "portal/status_limited.html", {"minutes": 10}, status=429)
    number, code = request.POST.get("number", ""), request.POST.get("code", "")
    case = _find(number, code) if number and code else None
    if case is None:
        _count_failure(request)
        raise Http404
    status = 400
    if form.is_valid():
        try:
            services.add_missing_document(case, form.cleaned_data["file"], name=form.cleaned_data["name"])
        except DomainError as exc:
            _show_error(form, exc)
            status = exc.status
        else:
            return _no_store(render(request, "portal/apply_document_added.html", {"case": case, "code": code}))
    return _no_store(
        render(request, "portal/apply_document.html", {"case": case, "form": form, "code": code}, status=status)
    )
