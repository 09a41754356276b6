"""Applicants: validation of identifiers, phone normalisation, duplicate warnings, audited search."""

from __future__ import annotations

import pytest

from vikno.cases import services
from vikno.cases.models import Applicant
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.models import AuditEvent

from .core_factories import VALID_RNOKPP, ApiCaller, person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"rnokpp": "3293406448"}, "invalid_rnokpp"),
        ({"rnokpp": "12345"}, "invalid_rnokpp"),
        ({"refused_rnokpp": True}, "passport_required"),
        ({"refused_rnokpp": True, "rnokpp": VALID_RNOKPP}, "rnokpp_refused"),
        ({"passport_series": "KB", "passport_number": "123456"}, "invalid_passport_series"),
        ({"id_card_number": "12345"}, "invalid_id_card"),
        ({"unzr": "19901317-01234"}, "invalid_unzr"),
        ({"birth_date": "1990-05-17", "unzr": "19900518-01234"}, "unzr_birth_date"),
        ({"phone": "12345"}, "invalid_phone"),
        ({"email": "not-an-email"}, "invalid_email"),
        ({"last_name": ""}, "last_name_required"),
    ],
)
def test_bad_person_data_is_refused(world, data, code):
    with pytest.raises(DomainError) as exc:
        person(world, **data)
    assert exc.value.code == code
    assert Applicant.objects.count() == 0


@pytest.mark.django_db
def test_person_and_legal_entity_are_normalised(world):
    admin = Actor(user=world.admin_a)
    applicant = person(
        world,
        last_name="  ОЛІЙНИК ",
        first_name="марʼяна",
        rnokpp=VALID_RNOKPP,
        birth_date="1990-05-17",
        unzr="19900517-01234",
        phone="+38 (067) 123-45-67",
        refused_rnokpp=False,
    )
    assert (applicant.last_name, applicant.first_name, applicant.phone) == ("Олійник", "Марʼяна", "+380671234567")
    refused = person(world, refused_rnokpp=True, passport_series="кв", passport_number="123456")
    assert refused.passport_series == "КВ" and refused.rnokpp == ""
    company = services.create_applicant(
        world.center_a,
        {
            "kind": "legal_entity",
            "edrpou": "00032129",
            "organisation_name": "ТОВ «Світанок»",
            "head_name": "Іваненко І. І.",
        },
        actor=admin,
    )
    assert company.display_name == "ТОВ «Світанок»"
    with pytest.raises(DomainError) as exc:
        services.create_applicant(
            world.center_a, {"kind": "legal_entity", "edrpou": "00032128", "organisation_name": "X"}, actor=admin
        )
    assert exc.value.code == "invalid_edrpou"


@pytest.mark.django_db
def test_probable_duplicates_are_reported_not_blocked(client, world):
    first = person(world, rnokpp=VALID_RNOKPP, birth_date="1990-05-17", phone="0501234567")
    api = ApiCaller(client, world.admin_a)
    cases = [
        {"last_name": "шевченко", "first_name": "Олена", "birth_date": "1990-05-17"},
        {"last_name": "Шевченко", "first_name": "Ольга", "phone": "050-123-45-67"},
    ]
    for body in cases:
        response = api.post("/applicants", body)
        assert response.status_code == 201
        assert first.pk in [d["id"] for d in response.json()["duplicates"]]
    unrelated = api.post("/applicants", {"last_name": "Бондар", "first_name": "Олена", "birth_date": "1990-05-17"})
    assert unrelated.json()["duplicates"] == []
    # Another center's applicant is never a duplicate here.
    assert services.probable_duplicates(world.center_b, {"rnokpp": VALID_RNOKPP}) == []


@pytest.mark.django_db
def test_find_applicants_audits_every_view(client, world):
    target = person(world, rnokpp=VALID_RNOKPP)
    person(world, last_name="Бондар")
    api = ApiCaller(client, world.admin_a)
    assert [a["id"] for a in api.get("/applicants", rnokpp=VALID_RNOKPP).json()["items"]] == [target.pk]
    assert [a["id"] for a in api.get("/applicants", phone="050 123 45 67", name="Шевч").json()["items"]] == [target.pk]
    assert [a["id"] for a in api.get("/applicants", name="Шевчинко").json()["items"]] == [target.pk]
    assert AuditEvent.objects.filter(action="applicant.viewed", object_id=str(target.pk)).count() == 3
    assert api.get("/applicants").status_code == 400
    assert api.get(f"/applicants/{target.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="applicant.viewed", object_id=str(target.pk)).count() == 4


@pytest.mark.django_db
def test_a_second_card_with_the_same_rnokpp_is_refused_and_names_the_first(client, world):
    """The same РНОКПП is not a probable duplicate but the same person: even after the administrator
    confirms "another person", no second card is written; another center keeps its own card."""
    first = person(world, rnokpp=VALID_RNOKPP)
    api = ApiCaller(client, world.admin_a)
    response = api.post("/applicants", {"last_name": "Інша", "first_name": "Особа", "rnokpp": VALID_RNOKPP})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "applicant_exists" and body["field"] == "rnokpp"
    assert first.display_name in body["message"]
    assert Applicant.objects.filter(rnokpp=VALID_RNOKPP).count() == 1
    other = services.create_applicant(
        world.center_b,
        {"last_name": "Інша", "first_name": "Особа", "rnokpp": VALID_RNOKPP},
        actor=Actor(user=world.admin_b),
    )
    assert other.center_id == world.center_b.pk


@pytest.mark.django_db
def test_an_implausibly_old_birth_date_is_not_called_a_future_one(world):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(DomainError) as old:
        person(world, birth_date="1850-01-01")
    assert old.value.field == "birth_date"
    assert "Перевірте дату народження" in old.value.message and "01.01.1850" in old.value.message
    assert "майбутньому" not in old.value.message
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as future:
        person(world, birth_date=tomorrow.isoformat())
    assert "майбутньому" in future.value.message
    assert person(world, birth_date="1900-01-01").birth_date == dt.date(1900, 1, 1)
