"""The «Staff» pages (/staff/people/): who sees which accounts, what a center head and a system
administrator may change, each change audited, refusals as a clear 4xx."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.accounts import services
from vikno.accounts.models import ApiToken, User
from vikno.core.audit import Actor
from vikno.core.models import AuditEvent
from vikno.core.scoping import Role
from vikno.testing.fixtures import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

LIST = "/staff/people/"
NEW = "/staff/people/new/"


def _url(user, action: str = "") -> str:
    return f"/staff/people/{user.pk}/" + (f"{action}/" if action else "")


def _audited(action: str, user) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_type="accounts.user", object_id=str(user.pk))


def _lock_out(username: str) -> None:
    other = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        other.post("/accounts/login/", {"username": username, "password": "wrong-password"})


# --- Who sees what ------------------------------------------------------------------------------


def test_a_system_administrator_sees_every_account(client, world):
    login(client, world.sysadmin)
    body = client.get(LIST).content.decode()
    for user in (world.admin_a, world.admin_b, world.head_a, world.officer_a, world.monitor_1):
        assert f'href="{_url(user)}"' in body


def test_a_center_head_sees_only_the_accounts_of_their_center(client, world):
    login(client, world.head_a)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{_url(world.admin_a)}"' in body and f'href="{_url(world.head_a)}"' in body
    for user in (world.admin_b, world.officer_a, world.monitor_1, world.sysadmin):
        assert f'href="{_url(user)}"' not in body
    assert 'href="/staff/people/"' in body  # in the menu


@pytest.mark.parametrize("who", ["admin_a", "officer_a", "monitor_1"])
def test_other_roles_do_not_get_the_pages(client, world, who):
    login(client, getattr(world, who))
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.get(_url(world.admin_a)).status_code == 404
    assert client.post(_url(world.admin_b, "deactivate")).status_code == 404
    assert 'href="/staff/people/"' not in client.get("/staff/").content.decode()


def test_a_head_cannot_see_or_touch_another_centers_account(client, world):
    login(client, world.head_a)
    assert client.get(_url(world.admin_b)).status_code == 404
    for action in ("deactivate", "reactivate", "reset-second-factor", "unlock"):
        assert client.post(_url(world.admin_b, action)).status_code == 404
    world.admin_b.refresh_from_db()
    assert world.admin_b.is_active
    assert not AuditEvent.objects.filter(action__startswith="staff.", object_id=str(world.admin_b.pk)).exists()


def test_the_list_shows_second_factor_lockout_and_last_login(client, world):
    TOTPDevice.objects.create(user=world.admin_a, name="app", confirmed=True)
    _lock_out("admin_a")
    login(client, world.head_a)
    rows = {p.username: p for p in services.staff_overview(world.head_a)}
    assert rows["admin_a"].has_totp and rows["admin_a"].locked_out
    assert rows["head_a"].has_totp and not rows["head_a"].locked_out  # login() enrolled head_a
    assert rows["head_a"].last_login is not None
    body = client.get(LIST + "?q=admin").content.decode()
    assert "admin_a" in body and "head_a</td>" not in body


# --- Deactivate, reactivate ----------------------------------------------------------------------


def test_a_head_deactivates_and_reactivates_an_administrator_of_their_center(client, world):
    session = Client()
    login(session, world.admin_a)
    login(client, world.head_a)
    response = client.post(_url(world.admin_a, "deactivate"))
    assert response.status_code == 302
    world.admin_a.refresh_from_db()
    assert not world.admin_a.is_active
    event = _audited("staff.deactivated", world.admin_a)
    assert event.actor_id == world.head_a.pk and event.chain == f"center:{world.center_a.pk}"
    assert Client().post("/accounts/login/", {"username": "admin_a", "password": PASSWORD}).status_code == 200
    assert session.get("/staff/")["Location"].startswith("/accounts/login/")  # the open session ended

    again = client.post(_url(world.admin_a, "deactivate"))
    assert again.status_code == 400
    assert "Обліковий запис уже деактивовано." in again.content.decode()

    assert client.post(_url(world.admin_a, "reactivate")).status_code == 302
    world.admin_a.refresh_from_db()
    assert world.admin_a.is_active
    assert _audited("staff.reactivated", world.admin_a).actor_id == world.head_a.pk


def test_a_head_cannot_deactivate_themselves_nor_another_head(client, world):
    other_head = make_user("head_a2", Role.CENTER_HEAD, center=world.center_a)
    login(client, world.head_a)
    own = client.post(_url(world.head_a, "deactivate"))
    assert own.status_code == 403
    assert "Не можна деактивувати власний обліковий запис." in own.content.decode()
    other = client.post(_url(other_head, "deactivate"))
    assert other.status_code == 403
    assert "Керівник ЦНАП змінює лише облікові записи адміністраторів" in other.content.decode()
    assert User.objects.filter(pk__in=[world.head_a.pk, other_head.pk], is_active=True).count() == 2


def test_state_changes_take_only_post(client, world):
    login(client, world.sysadmin)
    for action in ("deactivate", "reactivate", "reset-second-factor", "unlock", "tokens"):
        assert client.get(_url(world.admin_a, action)).status_code == 405
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies  # the same session, without a CSRF token
    assert csrf_client.post(_url(world.admin_a, "deactivate")).status_code == 403
    world.admin_a.refresh_from_db()
    assert world.admin_a.is_active


def test_an_unknown_account_is_404(client, world):
    login(client, world.sysadmin)
    assert client.get("/staff/people/99999999/").status_code == 404
    assert client.post("/staff/people/99999999/deactivate/").status_code == 404
    assert client.get(LIST + "?cursor=абв").status_code == 404


# --- Second factor and lockout -----------------------------------------------------------------


def test_resetting_the_second_factor_removes_the_app_and_the_backup_codes(client, world):
    TOTPDevice.objects.create(user=world.admin_a, name="app", confirmed=True)
    services.issue_backup_codes(world.admin_a, Actor(label="test"))
    login(client, world.head_a)
    assert client.post(_url(world.admin_a, "reset-second-factor")).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.admin_a).exists()
    assert not StaticDevice.objects.filter(user=world.admin_a).exists()
    assert _audited("staff.second_factor_reset", world.admin_a).data == {"devices": 2}

    # At the next login the person enrols a new app.
    person = Client()
    assert person.post("/accounts/login/", {"username": "admin_a", "password": PASSWORD}).status_code == 302
    assert person.get("/accounts/verify/")["Location"] == "/accounts/totp/"

    nothing = client.post(_url(world.admin_a, "reset-second-factor"))
    assert nothing.status_code == 400
    assert "немає другого фактора" in nothing.content.decode()


def test_nobody_resets_their_own_second_factor_here(client, world):
    login(client, world.sysadmin)
    response = client.post(_url(world.sysadmin, "reset-second-factor"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.sysadmin).exists()


def test_unlocking_lifts_the_lockout(client, world):
    _lock_out("admin_a")
    assert services.is_locked_out(world.admin_a)
    login(client, world.head_a)
    assert "Зняти блокування" in client.get(_url(world.admin_a)).content.decode()
    assert client.post(_url(world.admin_a, "unlock")).status_code == 302
    assert not services.is_locked_out(world.admin_a)
    assert _audited("staff.unlocked", world.admin_a).data["attempts"] >= 1
    assert Client().post("/accounts/login/", {"username": "admin_a", "password": PASSWORD}).status_code == 302

    not_locked = client.post(_url(world.admin_a, "unlock"))
    assert not_locked.status_code == 400
    assert "Обліковий запис не заблоковано." in not_locked.content.decode()


# --- Creating accounts -------------------------------------------------------------------------


def test_a_head_creates_an_administrator_of_their_center_with_a_generated_password(client, world):
    login(client, world.head_a)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "username": "new.admin",
            "last_name": "Коваль",
            "first_name": "Олена",
            "role": "administrator",
            "offices": [world.office_a.pk, world.remote_a.pk],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.admin")
    assert (user.role, user.center_id) == (Role.ADMINISTRATOR, world.center_a.pk)
    assert set(user.offices.values_list("pk", flat=True)) == {world.office_a.pk, world.remote_a.pk}
    assert _audited("staff.created", user).actor_id == world.head_a.pk

    page = client.get(response["Location"]).content.decode()
    password = page.split("<code>")[1].split("</code>")[0]
    assert user.check_password(password)
    assert password not in client.get(response["Location"]).content.decode()  # shown once


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "center_head"},
        {"role": "sysadmin"},
        {"offices": ["OFFICE_B"]},
    ],
)
def test_a_head_creates_nothing_else(client, world, changes):
    login(client, world.head_a)
    data = {"username": "x.new", "last_name": "Х", "first_name": "Х", "role": "administrator", **changes}
    if data.get("offices") == ["OFFICE_B"]:
        data["offices"] = [world.office_b.pk]
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert not User.objects.filter(username="x.new").exists()


def test_a_head_cannot_create_in_another_center_even_through_the_service(world):
    with pytest.raises(services.PermissionDenied):
        services.create_staff(
            username="x", role=Role.ADMINISTRATOR, center=world.center_b, actor=Actor(user=world.head_a)
        )


def test_a_system_administrator_creates_any_role_with_a_typed_password(client, world):
    login(client, world.sysadmin)
    form = client.get(NEW).content.decode()
    assert 'name="provider"' in form and 'name="region"' in form
    response = client.post(
        NEW,
        {
            "username": "monitor.new",
            "last_name": "Н",
            "first_name": "М",
            "role": "oblast_monitor",
            "region": world.r1.pk,
            "center": world.center_a.pk,  # not the role's scope: ignored
            "password": "Tulchyn-ЦНАП-2026!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="monitor.new")
    assert (user.region_id, user.center_id) == (world.r1.pk, None)
    assert user.check_password("Tulchyn-ЦНАП-2026!")
    assert "<code>" not in client.get(response["Location"]).content.decode()  # a typed password is not shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "123"}, "Пароль"),
        ({"username": "ADMIN_A"}, "Логін «ADMIN_A» уже зайнятий."),
        ({"role": "officer"}, "потрібно вказати СНАП"),
        ({"role": "nonsense"}, "Зробіть коректний вибір"),
        ({"username": ""}, "Це поле обов"),
        ({"username": "two words"}, "Введіть коректне"),
        ({"email": "not-an-email"}, "Введіть коректну email адресу."),
    ],
)
def test_bad_input_is_refused_beside_the_field(client, world, data, message):
    login(client, world.sysadmin)
    base = {
        "username": "fresh",
        "last_name": "Н",
        "first_name": "М",
        "role": "administrator",
        "center": world.center_a.pk,
    }
    response = client.post(NEW, {**base, **data})
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not User.objects.filter(username="fresh").exists()


# --- API tokens -----------------------------------------------------------------------------------


def test_a_system_administrator_issues_and_revokes_a_token(client, world):
    login(client, world.sysadmin)
    response = client.post(_url(world.admin_a, "tokens"), {"name": "Кіоск у залі", "days": "30"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    secret = page.split("<code>vk_")[1].split("</code>")[0]
    token = ApiToken.objects.get(user=world.admin_a)
    assert ApiToken.authenticate("vk_" + secret).pk == world.admin_a.pk
    assert AuditEvent.objects.filter(action="api_token.issued", object_id=str(world.admin_a.pk)).exists()
    assert "vk_" + secret not in client.get(response["Location"]).content.decode()

    assert client.post(_url(world.admin_a, f"tokens/{token.pk}/revoke")).status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(world.admin_a.pk)).exists()
    twice = client.post(_url(world.admin_a, f"tokens/{token.pk}/revoke"))
    assert twice.status_code == 400
    assert "Токен уже відкликано." in twice.content.decode()
    # A token of another account is not found through this one.
    assert client.post(_url(world.admin_b, f"tokens/{token.pk}/revoke")).status_code == 404


def test_token_bad_input_and_roles(client, world):
    login(client, world.sysadmin)
    assert client.post(_url(world.admin_a, "tokens"), {"name": "", "days": "0"}).status_code == 400
    assert client.post(_url(world.admin_a, "tokens"), {"name": "x", "days": "абв"}).status_code == 400
    assert not ApiToken.objects.exists()
    head = Client()
    login(head, world.head_a)
    assert head.post(_url(world.admin_a, "tokens"), {"name": "Кіоск"}).status_code == 404
    assert "Видати токен" not in head.get(_url(world.admin_a)).content.decode()
    with pytest.raises(services.PermissionDenied):
        services.issue_api_token(world.admin_a, "Кіоск", actor=Actor(user=world.head_a))


@pytest.mark.django_db
def test_an_empty_create_form_shows_what_is_required(world, login_as):
    response = login_as(world.sysadmin).post(NEW, {})
    assert response.status_code == 400
    assert response.context["form"].errors["username"]
