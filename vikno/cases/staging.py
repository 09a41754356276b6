"""Scans of an intake form that came back with errors, kept until the corrected form registers the case.

A browser cannot fill a file input again, so a scan accepted in a refused submit (checked by its content
and size, ``uploads.check_upload``) is saved under ``MEDIA_ROOT/intake-staging/`` with a random name and
remembered in the user's session under a random token; the page carries the token in a hidden input and
says «Файл прийнято: …». Only the session that staged a file can use its token: a token typed into another
user's (or another session's) form attaches nothing. The file is attached to the case when the form
registers it, and removed then, when the administrator removes it or replaces it with another file, or by
``sweep`` once it is older than a day (the daily task ``cases.sweep_staged_scans``, or ``manage.py
sweep_staged_scans``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .uploads import check_upload

FOLDER = "intake-staging"
SESSION_KEY = "intake_staged_scans"
MAX_AGE = dt.timedelta(days=1)
MAX_PER_SESSION = 50  # a session holds at most this many; the oldest are dropped beyond it


@dataclass(frozen=True)
class Staged:
    token: str
    name: str
    size: int
    content_type: str
    path: str
    staged_at: dt.datetime


def _entries(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _from_entry(token: str, entry: dict) -> Staged | None:
    try:
        return Staged(
            token=token,
            name=entry["name"],
            size=int(entry["size"]),
            content_type=entry["content_type"],
            path=entry["path"],
            staged_at=dt.datetime.fromisoformat(entry["staged_at"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _delete(path: str) -> None:
    if path and path.startswith(f"{FOLDER}/"):
        default_storage.delete(path)


def stage(request, uploaded_file) -> Staged:
    """Keep an accepted scan for this session; its token goes into the page."""
    checked = check_upload(uploaded_file)
    token = secrets.token_urlsafe(18)
    uploaded_file.seek(0)
    path = default_storage.save(f"{FOLDER}/{token}{checked.extension}", uploaded_file)
    name = (getattr(uploaded_file, "name", "") or "scan").rsplit("/", 1)[-1][:200]
    now = timezone.now()
    entries = _entries(request)
    entries[token] = {
        "name": name,
        "size": checked.size,
        "content_type": checked.content_type,
        "path": path,
        "staged_at": now.isoformat(),
    }
    while len(entries) > MAX_PER_SESSION:
        oldest = min(entries, key=lambda key: entries[key].get("staged_at", ""))
        _delete(entries.pop(oldest).get("path", ""))
    request.session[SESSION_KEY] = entries
    return _from_entry(token, entries[token])


def get(request, token: str) -> Staged | None:
    """The scan this session staged under ``token``, or None (unknown here, expired or gone)."""
    token = (token or "").strip()
    entry = _entries(request).get(token) if token else None
    staged = _from_entry(token, entry) if entry else None
    if staged is None:
        return None
    if staged.staged_at < timezone.now() - MAX_AGE or not default_storage.exists(staged.path):
        discard(request, token)
        return None
    return staged


def open_file(staged: Staged) -> File:
    """The staged content as a file named as the administrator's original (close it after use)."""
    return File(default_storage.open(staged.path, "rb"), name=staged.name)


def discard(request, token: str) -> None:
    """Forget a staged scan and remove its file (only this session's)."""
    entries = _entries(request)
    entry = entries.pop(token, None)
    if entry is None:
        return
    _delete(entry.get("path", ""))
    request.session[SESSION_KEY] = entries


def sweep(now: dt.datetime | None = None) -> int:
    """Remove staged scans older than ``MAX_AGE`` (their forms were abandoned); the number removed."""
    limit = (now or timezone.now()) - MAX_AGE
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
