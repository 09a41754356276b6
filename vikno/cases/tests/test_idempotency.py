"""POST /cases with an Idempotency-Key: retries and concurrent duplicates create one case."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from vikno.cases.models import Case

from .core_factories import ApiCaller, make_service, person


def _body(world, service, applicant, **extra):
    return {"service": service.code, "applicant_id": applicant.pk, "office_id": world.office_a.pk, **extra}


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_case(client, world):
    service = make_service()
    applicant = person(world)
    api = ApiCaller(client, world.admin_a)
    body = _body(world, service, applicant)
    first = api.post("/cases", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    again = api.post("/cases", body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.count() == 1
    # Without a key every request is a new application.
    assert api.post("/cases", body).status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client, world):
    service, other = make_service(), make_service()
    applicant = person(world)
    api = ApiCaller(client, world.admin_a)
    assert api.post("/cases", _body(world, service, applicant), headers={"Idempotency-Key": "k-2"}).status_code == 201
    response = api.post("/cases", _body(world, other, applicant), headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "idempotency_key_reused"
    assert "Ключ ідемпотентності" in body["message"]
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_one_key_make_one_case(world):
    service = make_service()
    applicant = person(world)
    body = _body(world, service, applicant)
    callers = [ApiCaller(Client(), world.admin_a) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def send(i):
        try:
            barrier.wait(timeout=30)
            answers[i] = callers[i].post("/cases", body, headers={"Idempotency-Key": "same-key"})
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert Case.objects.count() == 1
    number = Case.objects.get().number
    codes = sorted(a.status_code for a in answers)
    assert codes in ([200, 201], [201, 409])
    for answer in answers:
        if answer.status_code in (200, 201):
            assert answer.json()["number"] == number
    assert Case.objects.get().seq == 1
