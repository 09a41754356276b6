"""Checks for files staff upload to a case: scans of the input package and result documents.

Only PDF, JPEG and PNG are taken. The type is read from the first bytes of the content (the name and
the type the browser claims are not trusted), the size is limited by ``settings.MAX_UPLOAD_MB``
(``VIKNO_MAX_UPLOAD_MB``), and the SHA-256 of the content is kept with the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from vikno.core.errors import DomainError

# Content type → the bytes every file of that type starts with.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
CLAIMED_BY_EXTENSION = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str
    extension: str


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, or None when it is none of PDF, JPEG, PNG."""
    for content_type, signature in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def _claimed_type(uploaded_file) -> str | None:
    name = (getattr(uploaded_file, "name", "") or "").lower()
    for extension, content_type in CLAIMED_BY_EXTENSION.items():
        if name.endswith(extension):
            return content_type
    claimed = (getattr(uploaded_file, "content_type", "") or "").split(";")[0].strip().lower()
    return claimed if claimed in SIGNATURES else None


def check_upload(uploaded_file, *, field: str = "file") -> CheckedFile:
    """Refuse a file that is empty, too big or not really a PDF/JPEG/PNG; return its checked facts.

    ``uploaded_file`` is a Django ``UploadedFile`` (or any ``File``); it is read once, in chunks,
    and rewound for saving.
    """
    if uploaded_file is None:
        raise DomainError(_("Add a file."), code="file_missing", field=field)
    name = getattr(uploaded_file, "name", "") or _("file")
    limit = max_upload_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise DomainError(
            _("The file «%(name)s» is too big: %(size)s MB, while up to %(limit)s MB is allowed.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": settings.MAX_UPLOAD_MB},
            code="file_too_large",
            field=field,
            status=413,
        )
    digest = hashlib.sha256()
    head = b""
    total = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        total += len(chunk)
        if total > limit:
            raise DomainError(
                _("The file «%(name)s» is too big: up to %(limit)s MB is allowed.")
                % {"name": name, "limit": settings.MAX_UPLOAD_MB},
                code="file_too_large",
                field=field,
                status=413,
            )
        digest.update(chunk)
    uploaded_file.seek(0)
    if total == 0:
        raise DomainError(_("The file «%(name)s» is empty.") % {"name": name}, code="file_empty", field=field)
    actual = sniff(head)
    if actual is None:
        raise DomainError(
            _(
                "The file «%(name)s» is not a PDF document or a JPEG or PNG image (its content was checked). "
                "Upload the scan in one of these formats."
            )
            % {"name": name},
            code="file_type_not_allowed",
            field=field,
            status=415,
        )
    claimed = _claimed_type(uploaded_file)
    if claimed and claimed != actual:
        raise DomainError(
            _(
                "The file «%(name)s» is named as %(claimed)s, but by its content it is %(actual)s. "
                "Check that you are uploading the right file."
            )
            % {"name": name, "claimed": TYPE_NAMES[claimed], "actual": TYPE_NAMES[actual]},
            code="file_type_mismatch",
            field=field,
            status=415,
        )
    return CheckedFile(content_type=actual, size=total, sha256=digest.hexdigest(), extension=EXTENSIONS[actual])
