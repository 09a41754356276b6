"""Scans of an intake form that came back with errors are kept (``cases.staging``: a browser cannot refill a
file input) and attached when the corrected form registers the case; only the session that staged a scan can
use it."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from vikno.cases import staging
from vikno.cases.models import Case, CaseDocument, StagedUpload
from vikno.testing.fixtures import login

from .core_factories import PDF, PNG, make_service, pdf
from .test_views_intake import URL, _post_data


@pytest.fixture
def admin(world, login_as):
    return login_as(world.admin_a)


def _staged_files() -> list[str]:
    return [row.file.name for row in StagedUpload.objects.order_by("pk")]


def _token(html: str, row: int) -> str:
    return re.search(rf'name="doc-{row}-staged" value="([^"]+)"', html).group(1)


def _refused_with_a_scan(world, client, service):
    """A submit with a scan on the first row and a wrong РНОКПП: refused, the scan kept."""
    data = _post_data(
        service,
        office=str(world.office_a.pk),
        **{"applicant-rnokpp": "1234567890", "doc-0-file": pdf("заява.pdf")},
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    return data, response.content.decode()


def test_a_scan_of_a_refused_form_is_kept_and_attached_when_the_form_is_corrected(world, admin):
    service = make_service()
    data, html = _refused_with_a_scan(world, admin, service)
    assert "Файл прийнято: заява.pdf (" in html and "буде додано до справи" in html
    assert 'aria-describedby="doc-staged-0"' in html  # the row's file input points at the note
    assert 'name="doc-0-drop_staged"' in html and "Не додавати цей файл" in html
    assert 'name="doc-1-staged"' not in html  # the row without a file has nothing kept
    token = _token(html, 0)
    assert len(_staged_files()) == 1

    data.pop("doc-0-file")  # the browser sends the file input empty
    data.update({"applicant-rnokpp": "", "doc-0-staged": token})
    response = admin.post(URL, data)
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=Case.objects.get(), position=1)
    assert document.sha256 and document.content_type == "application/pdf" and document.size == len(PDF)
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert _staged_files() == []  # attached: the staged copy is gone


def test_a_staged_scan_survives_a_second_refusal_and_can_be_replaced_or_removed(world, admin):
    service = make_service()
    data, html = _refused_with_a_scan(world, admin, service)
    data.pop("doc-0-file")
    # refused again (still the wrong РНОКПП): the kept scan stays; a new one on row 2 joins it
    again = admin.post(URL, {**data, "doc-0-staged": _token(html, 0), "doc-1-file": pdf("паспорт.png", content=PNG)})
    html = again.content.decode()
    assert again.status_code == 400
    assert "Файл прийнято: заява.pdf" in html and "Файл прийнято: паспорт.png" in html
    first, second = _token(html, 0), _token(html, 1)
    # replaced on row 1, removed on row 2
    data.update({"applicant-rnokpp": "", "doc-0-staged": first, "doc-1-staged": second, "doc-1-drop_staged": "on"})
    response = admin.post(URL, {**data, "doc-0-file": pdf("заява-2.png", content=PNG)})
    assert response.status_code == 302
    case = Case.objects.get()
    assert CaseDocument.objects.get(case=case, position=1).content_type == "image/png"
    assert not CaseDocument.objects.get(case=case, position=2).sha256
    assert _staged_files() == []


def test_another_session_cannot_attach_a_staged_scan(world, admin):
    service = make_service()
    data, html = _refused_with_a_scan(world, admin, service)
    token = _token(html, 0)
    data.pop("doc-0-file")
    data.update({"applicant-rnokpp": "", "doc-0-staged": token})

    other = Client()
    login(other, world.head_a)  # another user of the same center
    response = other.post(URL, data)
    assert response.status_code == 302
    assert not CaseDocument.objects.get(case=Case.objects.get(), position=1).sha256  # nothing attached
    assert len(_staged_files()) == 1  # and the owner's staged file is untouched

    same_user_new_session = Client()
    login(same_user_new_session, world.admin_a)
    response = same_user_new_session.post(URL, {**data, "idempotency_key": "another", "applicant-confirm_new": "on"})
    assert response.status_code in (302, 400)
    assert not CaseDocument.objects.filter(sha256__gt="").exists()


def test_a_forged_or_unknown_token_is_ignored(world, admin):
    service = make_service()
    data = _post_data(service, office=str(world.office_a.pk), **{"doc-0-staged": "../../settings"})
    assert admin.post(URL, data).status_code == 302
    assert not CaseDocument.objects.filter(sha256__gt="").exists()


def test_staged_scans_older_than_a_day_are_swept(world, admin, django_capture_on_commit_callbacks):
    service = make_service()
    _refused_with_a_scan(world, admin, service)
    [name] = _staged_files()
    assert default_storage.exists(name)
    assert staging.sweep() == 0
    StagedUpload.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_staged_uploads", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _staged_files() == []
    assert not default_storage.exists(name)
    assert staging.sweep() == 0


def test_one_sweep_runs_every_hour(db):
    from procrastinate.contrib.django import app

    from vikno.cases import tasks

    periodic = app.periodic_registry.periodic_tasks[("cases.sweep_staged_uploads", "staged_uploads")]
    assert periodic.cron == "17 * * * *"
    assert tasks.sweep_staged_uploads(0) == 0


def test_a_staged_scan_expires_after_a_day_in_the_session(world, admin, monkeypatch):
    service = make_service()
    data, html = _refused_with_a_scan(world, admin, service)
    token = _token(html, 0)
    monkeypatch.setattr(staging, "MAX_AGE", dt.timedelta(seconds=-1))
    data.pop("doc-0-file")
    data.update({"applicant-rnokpp": "", "doc-0-staged": token})
    assert admin.post(URL, data).status_code == 302
    assert not CaseDocument.objects.get(case=Case.objects.get(), position=1).sha256
    assert _staged_files() == []
