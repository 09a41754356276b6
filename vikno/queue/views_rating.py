"""Rating pages: «rate your visit» by the ticket's secret link (QR code on the «my ticket» page, SMS) and
the tablet beside a window, which offers the visit just finished there. The operations are
``vikno.queue.ratings``."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError

from . import ratings
from .models import Rating, Workplace

STARS = [(str(n), str(n)) for n in range(1, 6)]
SCALE = [(str(n), str(n)) for n in range(0, 11)]


class RatingForm(forms.Form):
    stars = forms.ChoiceField(
        label=_("How satisfied are you with the service? (1 — not at all, 5 — fully)"),
        choices=STARS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    recommend = forms.ChoiceField(
        label=_("How likely are you to recommend the center to friends? (0 — not at all, 10 — certainly)"),
        choices=SCALE,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=ratings.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _save(request, ticket, channel: str):
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            ratings.rate(
                ticket,
                stars=form.cleaned_data["stars"],
                recommend=form.cleaned_data["recommend"] or None,
                comment=form.cleaned_data["comment"],
                channel=channel,
                actor=actor_from_request(request),
            )
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            return form, True
    return form, False


def rate_ticket(request, token: str):
    try:
        ticket = ratings.ticket_for_rating(token)
    except DomainError:
        return render(request, "queue/rating_missing.html", status=404)
    channel = Rating.Channel.SMS if request.GET.get("via") == "sms" else Rating.Channel.QR
    rated = Rating.objects.filter(ticket=ticket).exists()
    form = RatingForm()
    status = 200
    if request.method == "POST" and not rated:
        form, rated = _save(request, ticket, channel)
        if rated:
            return render(request, "queue/rating_thanks.html", {"ticket": ticket})
        status = 400
    context = {"ticket": ticket, "form": form, "rated": rated, "finished": ticket.status == "done"}
    response = render(request, "queue/rating_form.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def tablet(request, workplace_id: int):
    workplace = get_object_or_404(Workplace.objects.select_related("office"), pk=workplace_id, is_active=True)
    ticket = ratings.last_finished_at(workplace)
    form = RatingForm()
    status = 200
    if request.method == "POST":
        if ticket is None or str(ticket.pk) != request.POST.get("ticket"):
            return render(request, "queue/rating_tablet.html", {"workplace": workplace, "ticket": None, "gone": True})
        form, saved = _save(request, ticket, Rating.Channel.TABLET)
        if saved:
            return render(request, "queue/rating_thanks.html", {"ticket": ticket, "workplace": workplace})
        status = 400
    return render(
        request, "queue/rating_tablet.html", {"workplace": workplace, "ticket": ticket, "form": form}, status=status
    )
