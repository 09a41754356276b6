"""Login in two steps: password, then a code from the user's real TOTP device (or a backup code)."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.core.models import AuditEvent
from vikno.testing.fixtures import PASSWORD, totp_now


def _device(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _password_step(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


@pytest.mark.django_db
def test_password_then_totp_code_opens_staff_pages(client, world):
    device = _device(world.head_a)
    response = _password_step(client, world.head_a, next_url="/staff/orgs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/verify/")
    assert "next=%2Fstaff%2Forgs%2F" in response.url

    response = client.post(response.url, {"token": totp_now(device), "next": "/staff/orgs/"})
    assert response.status_code == 302
    assert response.url == "/staff/orgs/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/me").json()["username"] == "head_a"
    actions = list(AuditEvent.objects.filter(object_id=str(world.head_a.pk)).values_list("action", flat=True))
    assert actions == ["login.password", "login.otp"]


@pytest.mark.django_db
def test_wrong_code_is_refused_and_the_session_stays_unverified(client, world):
    device = _device(world.head_a)
    _password_step(client, world.head_a)
    wrong = f"{(int(totp_now(device)) + 1) % 1000000:06d}"
    response = client.post("/accounts/verify/", {"token": wrong})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="login.otp_failed", object_id=str(world.head_a.pk)).exists()


@pytest.mark.django_db
def test_user_without_a_device_is_sent_to_set_up(client, world):
    response = _password_step(client, world.admin_a)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == "/accounts/totp/"
    page = client.get("/accounts/totp/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()


@pytest.mark.django_db
def test_set_up_confirms_the_device_and_shows_ten_backup_codes_once(client, world):
    _password_step(client, world.admin_a)
    client.get("/accounts/totp/")
    device = TOTPDevice.objects.get(user=world.admin_a, confirmed=False)
    response = client.post("/accounts/totp/", {"token": totp_now(device)})
    assert response.status_code == 302
    assert response.url == "/accounts/backup-codes/"
    device.refresh_from_db()
    assert device.confirmed

    page = client.get("/accounts/backup-codes/")
    codes = page.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=world.admin_a).values_list("token", flat=True))
    assert stored == set(codes)
    for code in codes:
        assert code in page.content.decode()
    again = client.get("/accounts/backup-codes/")
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    # The new session is verified: staff pages open.
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_backup_code_passes_the_second_step_once(client, world):
    _device(world.head_a)
    static = StaticDevice.objects.create(user=world.head_a, name="backup", confirmed=True)
    static.token_set.create(token="abcd2345")
    _password_step(client, world.head_a)
    response = client.post("/accounts/verify/", {"token": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert not static.token_set.exists()

    client.post("/accounts/logout/")
    _password_step(client, world.head_a)
    response = client.post("/accounts/verify/", {"token": "abcd2345"})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_an_enrolled_device(client, world):
    _device(world.head_a)
    _password_step(client, world.head_a)
    response = client.get("/accounts/totp/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/verify/")
    assert not TOTPDevice.objects.filter(user=world.head_a, confirmed=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/staff/", "/staff/orgs/", "/staff/audit/", "/django-admin/"])
def test_staff_pages_redirect_to_verify_until_the_second_factor(client, world, path):
    _device(world.sysadmin)
    _password_step(client, world.sysadmin)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/verify/?next=")


@pytest.mark.django_db
def test_api_session_without_verified_otp_is_refused(client, world):
    _device(world.head_a)
    _password_step(client, world.head_a)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.django_db
def test_demo_exemption_needs_demo_mode_and_the_user_flag(client, world, settings):
    world.head_a.demo_mfa_exempt = True
    world.head_a.save()

    settings.DEMO_MODE = False
    response = _password_step(client, world.head_a)
    assert response.url.startswith("/accounts/verify/")
    assert client.get("/staff/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    client.post("/accounts/logout/")

    settings.DEMO_MODE = True
    response = _password_step(client, world.head_a)
    assert response.url == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    client.post("/accounts/logout/")

    # Demo mode on, but the user is not marked exempt.
    response = _password_step(client, world.admin_a)
    assert response.url.startswith("/accounts/verify/")
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_verify_ignores_an_offsite_next(client, world):
    device = _device(world.head_a)
    _password_step(client, world.head_a)
    response = client.post("/accounts/verify/", {"token": totp_now(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == "/staff/"


@pytest.mark.django_db
def test_a_next_that_is_not_a_path_of_the_site_leads_home_not_to_an_error(client, world):
    device = _device(world.head_a)
    _password_step(client, world.head_a)
    response = client.post("/accounts/verify/", {"token": totp_now(device), "next": "абв"})
    assert response.status_code == 302 and response.url == "/staff/"
    # Already verified: the same page redirects at once, also with a bare word or a view name as next.
    for target in ("абв", "staff-home", "logout"):
        response = client.get("/accounts/verify/", {"next": target})
        assert response.status_code == 302 and response.url == "/staff/"


@pytest.mark.django_db
def test_repeated_wrong_codes_are_throttled(client, world):
    device = _device(world.head_a)
    _password_step(client, world.head_a)
    client.post("/accounts/verify/", {"token": "000000" if totp_now(device) != "000000" else "111111"})
    # Right after a failure even the right code waits for the throttle delay (django-otp).
    response = client.post("/accounts/verify/", {"token": totp_now(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_an_empty_code_form_says_the_code_is_required(client, world):
    _device(world.head_a)
    _password_step(client, world.head_a)
    response = client.post("/accounts/verify/", {})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    assert client.get("/staff/").status_code == 302
