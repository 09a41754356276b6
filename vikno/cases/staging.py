"""Files that passed the upload checks in a form refused as a whole, kept until the corrected form is sent.

One mechanism for both forms that take scans: the staff intake (``views.intake``) and the citizen's online
application (``vikno.portal.views_apply``). A browser cannot fill a file input again, so each accepted file
of a refused submit is saved as a ``StagedUpload`` row (its file under ``MEDIA_ROOT/staged-uploads/``) for
the session that sent it: ``visitor(request)`` is a random key kept in that session. The re-rendered form
carries each row's signed token (``StagedUpload.token``, naming the row and its form field) in a hidden
input, and ``resolve`` reads the tokens back: a forged token, one older than a day, one made for another
field or for another session's file names nothing. The kept files are attached to the new case
(``attach``) and then discarded; a new file for the same field replaces the kept one (``stage`` with
``replacing``); ``discard`` drops what the user no longer wants. Rows older than a day (abandoned forms) are
removed with their files by ``sweep``: the hourly task ``cases.sweep_staged_uploads`` or ``manage.py
sweep_staged_uploads``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core import signing
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from vikno.core.errors import DomainError

from . import services
from .models import STAGED_SALT, StagedUpload
from .uploads import check_upload

SESSION_KEY = "staged_visitor"
MAX_AGE = dt.timedelta(days=1)
MAX_PER_VISITOR = 50  # a session keeps at most this many files; the oldest go beyond it
SWEEP_BATCH = 1000


def visitor(request, *, create: bool = False) -> str:
    """The random key of this session that its staged files belong to ('' if it has none yet)."""
    key = request.session.get(SESSION_KEY, "")
    if not key and create:
        key = request.session[SESSION_KEY] = secrets.token_urlsafe(24)
    return key


def stage(request, files: dict, *, replacing: dict | None = None) -> dict[str, StagedUpload]:
    """Keep for this session the files (form field → uploaded file) that pass the upload checks; a file that
    does not is skipped (its error is shown beside its field). A field's earlier staged file in
    ``replacing`` (field → row) is discarded when a new one is kept for it. Returns field → new row."""
    replacing = replacing or {}
    owner = visitor(request, create=True) if files else ""
    kept: dict[str, StagedUpload] = {}
    for field, upload in files.items():
        try:
            checked = check_upload(upload, field=field)
        except DomainError:
            continue
        upload.seek(0)
        row = StagedUpload(
            visitor=owner,
            field=field,
            name=((getattr(upload, "name", "") or field).rsplit("/", 1)[-1])[-255:],
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            created_at=timezone.now(),
        )
        row.file.save(f"{secrets.token_hex(16)}{checked.extension}", upload, save=False)
        row.save()
        kept[field] = row
    discard(replacing[field] for field in kept if field in replacing)
    if kept:
        surplus = StagedUpload.objects.filter(visitor=owner).order_by("-created_at", "-pk")[MAX_PER_VISITOR:]
        discard(list(surplus))
    return kept


def resolve(request, tokens: dict[str, str]) -> dict[str, StagedUpload]:
    """This session's staged files named by the tokens of the re-rendered form (field → token), as field →
    row. A token that is forged, expired, made for another field or for another session's file is ignored.
    This session's files older than ``MAX_AGE`` are discarded on the way."""
    owner = visitor(request)
    if not owner:
        return {}
    limit = timezone.now() - MAX_AGE
    discard(list(StagedUpload.objects.filter(visitor=owner, created_at__lt=limit)))
    wanted: dict[int, str] = {}
    for field, token in tokens.items():
        try:
            value = signing.loads(token or "", salt=STAGED_SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        if isinstance(value, dict) and value.get("field") == field and isinstance(value.get("id"), int):
            wanted[value["id"]] = field
    if not wanted:
        return {}
    rows = StagedUpload.objects.filter(pk__in=list(wanted), visitor=owner, created_at__gte=limit)
    return {row.field: row for row in rows if wanted[row.pk] == row.field}


def open_file(row: StagedUpload) -> File:
    """The staged content as a file named as the user's original (close it after use)."""
    return File(row.file.open("rb"), name=row.name)


def attach(case, position: int, row: StagedUpload, *, actor):
    """Attach a staged file to the document ``position`` of a new case (``services.add_document_file``,
    with its checks and history); discard the row afterwards with ``discard``."""
    with open_file(row) as stored:
        return services.add_document_file(case, position, stored, actor=actor)


def discard(rows: Iterable[StagedUpload | None]) -> None:
    """Delete staged rows, and their files once the deletion is committed."""
    rows = [row for row in rows if row is not None and row.pk is not None]
    if not rows:
        return
    storage = rows[0].file.storage
    names = [row.file.name for row in rows if row.file.name]
    StagedUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def sweep(now: dt.datetime | None = None) -> int:
    """Remove the staged files older than ``MAX_AGE`` (forms left unfinished); the number removed."""
    limit = (now or timezone.now()) - MAX_AGE
    removed = 0
    while True:
        with transaction.atomic():
            rows = list(StagedUpload.objects.filter(created_at__lt=limit).order_by("pk")[:SWEEP_BATCH])
            discard(rows)
        removed += len(rows)
        if len(rows) < SWEEP_BATCH:
            return removed
