"""Fixtures: a small two-center world built through the real models, and logged-in clients.

``world`` gives two regions, two hromadas, centers A and B (each with a main office and a ВРМ),
a provider per region and one user of every role; ``login(client, user)`` logs a user in past the
second factor by enrolling a real TOTP device and submitting its current code.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from vikno.core.scoping import Role

PASSWORD = "correct-horse-battery"


def make_user(username: str, role: str, **scope):
    from vikno.accounts.models import User

    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, first_name=username.title(), last_name="Тестовий", **scope
    )
    return user


@pytest.fixture
def world(db):
    from vikno.orgs.models import Center, Hromada, Office, Provider, Raion, Region

    r1 = Region.objects.create(katottg="UA05000000000010236", name="Вінницька", category="O")
    r2 = Region.objects.create(katottg="UA07000000000024379", name="Волинська", category="O")
    raion1 = Raion.objects.create(katottg="UA05020000000026686", name="Вінницький", region=r1)
    raion2 = Raion.objects.create(katottg="UA07020000000023264", name="Володимирський", region=r2)
    h1 = Hromada.objects.create(katottg="UA05020030000031457", name="Вінницька", region=r1, raion=raion1)
    h2 = Hromada.objects.create(katottg="UA07020010000063081", name="Володимирська", region=r2, raion=raion2)
    center_a = Center.objects.create(name="ЦНАП А", slug="center-a", hromada=h1)
    center_b = Center.objects.create(name="ЦНАП Б", slug="center-b", hromada=h2)
    office_a = Office.objects.create(center=center_a, kind="main", name="ЦНАП А, головний офіс")
    remote_a = Office.objects.create(center=center_a, kind="remote", name="ВРМ А-1")
    office_b = Office.objects.create(center=center_b, kind="main", name="ЦНАП Б, головний офіс")
    provider_a = Provider.objects.create(name="Відділ ДРАЦС А", edrpou="00032129", kind="state_territorial", region=r1)
    provider_b = Provider.objects.create(name="Відділ ДРАЦС Б", edrpou="00034045", kind="state_territorial", region=r2)
    admin_a = make_user("admin_a", Role.ADMINISTRATOR, center=center_a)
    admin_a.offices.add(office_a)
    return SimpleNamespace(
        r1=r1,
        r2=r2,
        h1=h1,
        h2=h2,
        center_a=center_a,
        center_b=center_b,
        office_a=office_a,
        remote_a=remote_a,
        office_b=office_b,
        provider_a=provider_a,
        provider_b=provider_b,
        admin_a=admin_a,
        admin_b=make_user("admin_b", Role.ADMINISTRATOR, center=center_b),
        head_a=make_user("head_a", Role.CENTER_HEAD, center=center_a),
        officer_a=make_user("officer_a", Role.OFFICER, provider=provider_a),
        monitor_1=make_user("monitor_1", Role.OBLAST_MONITOR, region=r1),
        sysadmin=make_user("sysadmin", Role.SYSADMIN),
    )


def totp_now(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(client, user) -> None:
    """Log ``user`` in through the real two-step form (password, then TOTP). A client already logged in is
    logged out first: the login page sends a signed-in visitor on without a new login, so a second
    ``login`` on one client would otherwise keep the first user, and a test of another user's access
    would silently run as the first one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.logout()

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    # django-otp accepts each time step's code once; a test that logs the same user in twice within 30 s is
    # not a replay, so the device forgets the step it last accepted.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    response = client.post("/accounts/verify/", {"token": totp_now(device)})
    assert response.status_code == 302, response.content[:500]
    assert client.session.get("_auth_user_id") == str(user.pk), f"{user.username} is not the one logged in"


@pytest.fixture
def login_as(client):
    def _login(user):
        login(client, user)
        return client

    return _login
