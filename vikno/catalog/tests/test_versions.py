"""Service versions: an edit makes a new version, the old one is closed the day before, history is kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from vikno.catalog import search
from vikno.catalog import services as catalog
from vikno.catalog.models import FeeRule, Service, ServiceVersion, Sphere
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.models import AuditEvent

ACTOR = Actor(label="test")
D = dt.date


def _data(**extra):
    return {
        "name_uk": "Державна реєстрація народження",
        "term_value": 1,
        "term_unit": "working_days",
        "provider_level": "state",
        "documents": ["Паспорт заявника", {"name": "Медичне свідоцтво", "copy": True, "condition": "для пологів"}],
        **extra,
    }


@pytest.fixture
def service(db):
    sphere = Sphere.objects.create(code="ACS", name_uk="ДРАЦС")
    return catalog.create_service("ACS-001", sphere=sphere, data=_data(), valid_from=D(2026, 1, 1), actor=ACTOR)


def test_first_version_gets_default_tech_card(service):
    version = service.current_version
    assert version.number == 1 and version.valid_to is None
    assert [d.name for d in version.documents.all()] == ["Паспорт заявника", "Медичне свідоцтво"]
    assert version.documents.get(position=2).condition == "для пологів"
    steps = list(version.tech_steps.values_list("role", "action_type"))
    assert steps == [("administrator", "В"), ("officer", "В"), ("administrator", "В")]


def test_default_tech_cards_follow_flags():
    instant = catalog.default_tech_steps(instant=True, complex=False, term_value=1, term_unit="working_days")
    assert {s["role"] for s in instant} == {"administrator"}
    standard = catalog.default_tech_steps(instant=False, complex=False, term_value=30, term_unit="calendar_days")
    assert standard[0]["term_value"] == 1 and standard[0]["term_unit"] == "working_days"
    assert (standard[1]["role"], standard[1]["term_value"], standard[1]["term_unit"]) == (
        "officer",
        30,
        "calendar_days",
    )
    bundle = catalog.default_tech_steps(instant=False, complex=True, term_value=1, term_unit="working_days")
    assert "center_head" in {s["role"] for s in bundle}


def test_edit_makes_a_new_version_and_closes_the_old_one(service):
    today = timezone.localdate()
    v2 = catalog.create_version(
        service, {"name_uk": "Реєстрація народження дитини"}, valid_from=today, actor=ACTOR, change_note="Нова назва"
    )
    v1 = ServiceVersion.objects.get(service=service, number=1)
    assert v2.number == 2
    assert v1.valid_to == today - dt.timedelta(days=1)
    assert v2.valid_to is None
    assert [d.name for d in v2.documents.all()] == ["Паспорт заявника", "Медичне свідоцтво"]
    assert v2.documents.get(position=2).copy is True
    assert list(v2.tech_steps.values_list("action", flat=True)) == list(v1.tech_steps.values_list("action", flat=True))
    assert v2.term_value == 1 and v2.provider_level == "state"
    service.refresh_from_db()
    assert service.current_version == v2
    assert service.name_uk == "Реєстрація народження дитини"
    assert catalog.version_in_force(service, today - dt.timedelta(days=1)) == v1
    assert catalog.version_in_force(service, today) == v2
    assert catalog.version_in_force(service, D(2025, 12, 31)) is None
    event = AuditEvent.objects.get(action="catalog.version.create")
    assert event.data["changes"]["name_uk"] == ["Державна реєстрація народження", "Реєстрація народження дитини"]


def test_future_version_does_not_change_todays_name(service):
    later = timezone.localdate() + dt.timedelta(days=10)
    catalog.create_version(service, {"name_uk": "Нова назва", "documents": ["Заява"]}, valid_from=later, actor=ACTOR)
    service.refresh_from_db()
    assert service.current_version.number == 1
    assert service.name_uk == "Державна реєстрація народження"
    assert list(catalog.version_in_force(service, later).documents.values_list("name", flat=True)) == ["Заява"]


def test_backdated_and_overlapping_periods_are_refused(service):
    with pytest.raises(DomainError) as exc:
        catalog.create_version(service, {}, valid_from=D(2026, 1, 1), actor=ACTOR)
    assert exc.value.code == "version_backdated" and exc.value.field == "valid_from"
    with pytest.raises(DomainError):
        catalog.create_version(service, {}, valid_from=D(2025, 6, 1), actor=ACTOR)
    catalog.create_version(service, {"valid_to": D(2026, 6, 30)}, valid_from=D(2026, 3, 1), actor=ACTOR)
    with pytest.raises(DomainError) as exc:
        catalog.create_version(service, {}, valid_from=D(2026, 6, 30), actor=ACTOR)
    assert exc.value.code == "version_overlap"
    v3 = catalog.create_version(service, {"valid_to": None}, valid_from=D(2026, 7, 1), actor=ACTOR)
    assert v3.number == 3
    assert ServiceVersion.objects.filter(service=service).count() == 3


def test_invalid_content_is_refused_with_the_field(service):
    cases = [
        ({"term_unit": "weeks"}, "term_unit"),
        ({"term_value": 0}, "term_value"),
        ({"fee_kind": "rule"}, "fee_rule"),
        ({"fee_kind": "fixed"}, "fee_amount"),
        ({"name_uk": " "}, "name_uk"),
        ({"complex": True}, "sub_services"),
        ({"tech_steps": [{"action": "Щось", "role": "janitor", "action_type": "В"}]}, "tech_steps"),
    ]
    for data, field in cases:
        with pytest.raises(DomainError) as exc:
            catalog.create_version(service, data, valid_from=D(2026, 5, 1), actor=ACTOR)
        assert exc.value.field == field, data
    assert ServiceVersion.objects.filter(service=service).count() == 1
    assert ServiceVersion.objects.get(service=service).valid_to is None


def test_fee_fields_are_kept_consistent(service):
    rule = FeeRule.objects.create(rule_id="r", name_uk="r", coefficient=Decimal("0.1"), rounding="nearest_10_uah")
    v2 = catalog.create_version(
        service, {"fee_kind": "rule", "fee_rule": "r", "fee_amount": "5"}, valid_from=D(2026, 2, 1), actor=ACTOR
    )
    assert v2.fee_rule == rule and v2.fee_amount is None
    v3 = catalog.create_version(
        service, {"fee_kind": "fixed", "fee_amount": "618"}, valid_from=D(2026, 3, 1), actor=ACTOR
    )
    assert v3.fee_rule is None and v3.fee_amount == Decimal("618.00")


def test_search_is_reindexed_and_not_implemented_is_ignored(service, monkeypatch, django_capture_on_commit_callbacks):
    calls = []

    def fake_reindex(ids=None):
        calls.append(ids)
        raise NotImplementedError

    monkeypatch.setattr(search, "reindex", fake_reindex)
    with django_capture_on_commit_callbacks(execute=True):
        catalog.create_version(service, {"online": True}, valid_from=D(2026, 4, 1), actor=ACTOR)
    assert calls == [[service.pk]]


def test_new_service_code_must_match_sphere(db):
    sphere = Sphere.objects.create(code="PAS", name_uk="Паспорти")
    with pytest.raises(DomainError) as exc:
        catalog.create_service("ACS-002", sphere=sphere, data=_data(), valid_from=D(2026, 1, 1), actor=ACTOR)
    assert exc.value.field == "code"
    assert not Service.objects.exists()
