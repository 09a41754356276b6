"""Documents the applicant adds through the public portal while a case waits for clarification.

``add_applicant_document(case, uploaded_file, *, name, actor)`` checks the file like every other
upload (PDF, JPEG or PNG by content, size limit) and adds it to the input package as a new
``CaseDocument`` after the ІК positions, so the officer sees it on the case page.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vikno.core.audit import Actor, record
from vikno.core.errors import Conflict

from .models import Case, CaseDocument, Status
from .uploads import check_upload
from .workflow import add_event

DEFAULT_NAME = "Документ, доданий заявником"  # stored as the document's name: Ukrainian


def add_applicant_document(case: Case, uploaded_file, *, name: str, actor: Actor | None) -> CaseDocument:
    """Add one document sent by the applicant; only while the case needs clarification."""
    if case.status != Status.NEEDS_CLARIFICATION:
        raise Conflict(
            _("Documents can only be added while the application needs clarification."),
            code="not_awaiting_documents",
        )
    name = " ".join((name or "").split())[:200] or DEFAULT_NAME
    checked = check_upload(uploaded_file)
    with transaction.atomic():
        locked = Case.objects.select_for_update().only("id").get(pk=case.pk)
        last = CaseDocument.objects.filter(case=locked).aggregate(top=Max("position"))["top"] or 0
        position = last + 1
        document = CaseDocument(
            case=case,
            position=position,
            name=name,
            original=False,
            copy=True,
            provided=True,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=timezone.now(),
        )
        document.file.save(f"{case.number}-{position}{checked.extension}", uploaded_file, save=False)
        document.save()
        add_event(
            case,
            "applicant_document_added",
            actor=actor,
            visible_to_applicant=False,
            comment=name,
            data={"position": position, "sha256": checked.sha256},
        )
        record(
            actor,
            "case.applicant_document_added",
            case,
            data={"position": position, "sha256": checked.sha256, "size": checked.size},
        )
    return document


def documents_sent(case: Case, *, since=None) -> list[dict]:
    """The documents the applicant sent from the status page (``since`` a moment, when given), oldest
    first: each with the name given and when it was received."""
    events = case.events.filter(action="applicant_document_added")
    if since is not None:
        events = events.filter(at__gte=since)
    return [{"name": event.comment or DEFAULT_NAME, "at": event.at} for event in events.order_by("at", "id")]
