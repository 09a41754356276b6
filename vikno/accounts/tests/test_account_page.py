"""A staff member's own account: change the password (other sessions end), issue new backup codes."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from vikno.core.models import AuditEvent
from vikno.testing.fixtures import PASSWORD

URL = "/accounts/me/"
NEW_PASSWORD = "Нове-гасло-2026-цнап"


def _change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        URL,
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": new if again is None else again,
        },
    )


@pytest.mark.django_db
def test_the_password_is_changed_this_session_stays_and_the_others_end(world, login_as):
    client = login_as(world.admin_a)
    other = Client()  # a second session of the same account, signed in with a backup code
    device = StaticDevice.objects.create(user=world.admin_a, name="backup", confirmed=True)
    device.token_set.create(token="spare12345")
    other.post("/accounts/login/", {"username": world.admin_a.username, "password": PASSWORD})
    assert other.post("/accounts/verify/", {"token": "spare12345"}).status_code == 302
    assert other.get("/staff/").status_code == 200
    page = client.get(URL)
    assert page.status_code == 200 and "Змінити пароль" in page.content.decode()
    assert 'href="/accounts/me/"' in client.get("/staff/").content.decode()  # reached from every staff page

    response = _change(client)
    assert response.status_code == 302 and response.url == URL
    assert "Пароль змінено." in client.get(URL).content.decode()
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(NEW_PASSWORD)
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302  # the other session was signed out
    event = AuditEvent.objects.get(action="account.password_changed")
    assert event.object_id == str(world.admin_a.pk) and event.ip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "again", "field"),
    [
        ("не той пароль", NEW_PASSWORD, None, "old_password"),
        (PASSWORD, "короткий", None, "new_password2"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "new_password2"),
    ],
)
def test_a_bad_change_is_refused_with_a_message_and_nothing_changes(world, login_as, old, new, again, field):
    client = login_as(world.admin_a)
    response = _change(client, old, new, again)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_changed").exists()


@pytest.mark.django_db
def test_new_backup_codes_replace_the_old_ones_and_are_shown_once(world, login_as):
    client = login_as(world.admin_a)
    response = client.post(URL, {"backup_codes": ""})
    assert response.status_code == 302 and response.url == "/accounts/backup-codes/"
    codes = list(StaticToken.objects.filter(device__user=world.admin_a).values_list("token", flat=True))
    assert len(codes) == 10
    page = client.get(response.url).content.decode()
    assert all(code in page for code in codes)
    assert codes[0] not in client.get(response.url).content.decode()  # only once
    client.post(URL, {"backup_codes": ""})
    assert not StaticToken.objects.filter(token__in=codes).exists()
    assert AuditEvent.objects.filter(action="mfa.backup_codes_issued", object_id=str(world.admin_a.pk)).count() == 2


@pytest.mark.django_db
def test_the_page_needs_the_second_factor_and_a_login(client, world):
    assert client.get(URL).status_code == 302 and "/accounts/login/" in client.get(URL).url
    client.post("/accounts/login/", {"username": world.admin_a.username, "password": PASSWORD})
    response = _change(client)
    assert response.status_code == 302 and response.url.startswith("/accounts/")
    assert "/accounts/me/" not in response.url
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(PASSWORD)
