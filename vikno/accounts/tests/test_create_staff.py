"""Staff creation: the scope must match the role; administrators work only in their center's offices."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from vikno.accounts.models import User
from vikno.accounts.services import create_staff
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.models import AuditEvent
from vikno.core.scoping import Role

ACTOR = Actor(label="test")


@pytest.mark.django_db
def test_administrator_with_offices_of_the_center_is_created_and_audited(world):
    user = create_staff(
        username="olena",
        role=Role.ADMINISTRATOR,
        center=world.center_a,
        offices=[world.office_a, world.remote_a],
        actor=ACTOR,
        last_name="Коваль",
        first_name="Олена",
        patronymic="Петрівна",
    )
    assert user.full_name() == "Коваль Олена Петрівна"
    assert set(user.offices.all()) == {world.office_a, world.remote_a}
    assert not user.has_usable_password()
    assert not user.is_staff
    event = AuditEvent.objects.get(action="staff.created")
    assert event.chain == f"center:{world.center_a.pk}"
    assert event.region_id == world.r1.pk
    assert event.data["role"] == "administrator"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "field", "text"),
    [
        ("administrator", {}, "center", "потрібно вказати ЦНАП"),
        ("center_head", {"region": "r1"}, "center", "потрібно вказати ЦНАП"),
        ("administrator", {"center": "center_a", "provider": "provider_a"}, "center", "не вказувати СНАП"),
        ("officer", {"center": "center_a"}, "provider", "потрібно вказати СНАП"),
        ("oblast_monitor", {"provider": "provider_a"}, "region", "потрібно вказати область"),
        ("sysadmin", {"center": "center_a"}, "role", "не прив'язаний"),
        ("mayor", {}, "role", "Невідома роль"),
    ],
)
def test_inconsistent_role_and_scope_is_refused_in_ukrainian(world, role, scope, field, text):
    kwargs = {key: getattr(world, value) for key, value in scope.items()}
    with pytest.raises(DomainError) as caught:
        create_staff(username="x", role=role, actor=ACTOR, **kwargs)
    assert caught.value.field == field
    assert text in caught.value.message
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_administrator_cannot_get_an_office_of_another_center(world):
    with pytest.raises(DomainError) as caught:
        create_staff(
            username="x", role=Role.ADMINISTRATOR, center=world.center_a, offices=[world.office_b], actor=ACTOR
        )
    assert caught.value.code == "office_outside_center"
    assert "іншому ЦНАП" in caught.value.message
    with pytest.raises(DomainError, match="лише адміністраторам"):
        create_staff(username="y", role=Role.CENTER_HEAD, center=world.center_a, offices=[world.office_a], actor=ACTOR)
    assert not AuditEvent.objects.filter(action="staff.created").exists()


@pytest.mark.django_db
def test_duplicate_username_and_weak_password_are_refused(world):
    with pytest.raises(DomainError, match="уже зайнятий"):
        create_staff(username="HEAD_A", role=Role.SYSADMIN, actor=ACTOR)
    with pytest.raises(DomainError) as caught:
        create_staff(username="new", role=Role.SYSADMIN, actor=ACTOR, password="123")
    assert caught.value.field == "password"


@pytest.mark.django_db
def test_the_database_constraint_backs_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad", role=Role.OFFICER, center=world.center_a)


@pytest.mark.django_db
def test_create_staff_command(world):
    out = StringIO()
    call_command(
        "create_staff", "petro", "officer", "--provider", world.provider_b.edrpou, "--last-name", "Шевчук", stdout=out
    )
    user = User.objects.get(username="petro")
    assert user.provider == world.provider_b
    assert "Посадова особа СНАП" in out.getvalue()

    call_command("create_staff", "root2", "sysadmin", stdout=StringIO())
    assert User.objects.get(username="root2").is_staff

    call_command(
        "create_staff",
        "ivan",
        "administrator",
        "--center",
        "center-a",
        "--office",
        str(world.remote_a.pk),
        stdout=StringIO(),
    )
    assert list(User.objects.get(username="ivan").offices.all()) == [world.remote_a]

    with pytest.raises(CommandError, match="потрібно вказати область"):
        call_command("create_staff", "mon", "oblast_monitor", stdout=StringIO())
    with pytest.raises(CommandError, match="не знайдено"):
        call_command("create_staff", "mon", "oblast_monitor", "--region", "UA99999999999999999", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["two words", "олена!", "x" * 151])
def test_a_login_outside_the_rule_is_refused_from_the_command_line_too(world, username):
    with pytest.raises(DomainError) as caught:
        create_staff(username=username, role=Role.ADMINISTRATOR, center=world.center_a, actor=ACTOR)
    assert caught.value.field == "username" and caught.value.code == "invalid_username"
    assert not User.objects.filter(username=username).exists()
    with pytest.raises(CommandError):
        call_command("create_staff", username, "administrator", "--center", world.center_a.slug)
