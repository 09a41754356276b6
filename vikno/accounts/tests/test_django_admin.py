"""The Django admin is an OTPAdminSite: a password alone (or the demo exemption) does not open it."""

import pytest
from django.contrib import admin
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from vikno.accounts.models import ApiToken, User
from vikno.testing.fixtures import PASSWORD


def test_admin_site_asks_for_otp_and_lists_staff_and_tokens():
    assert isinstance(admin.site, OTPAdminSite)
    assert admin.site.is_registered(User)
    assert admin.site.is_registered(ApiToken)


@pytest.mark.django_db
def test_verified_sysadmin_opens_the_admin_and_the_lists(login_as, world):
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    ApiToken.issue(world.head_a, "Кіоск")
    client = login_as(world.sysadmin)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/accounts/user/").status_code == 200
    page = client.get("/django-admin/accounts/apitoken/")
    assert page.status_code == 200
    assert ApiToken.objects.get().key_hash not in page.content.decode()
    assert client.get("/django-admin/accounts/apitoken/add/").status_code == 403


@pytest.mark.django_db
def test_demo_exempt_user_without_otp_is_not_let_into_the_admin(client, world, settings):
    settings.DEMO_MODE = True
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.demo_mfa_exempt = True
    world.sysadmin.save()
    client.post("/accounts/login/", {"username": "sysadmin", "password": PASSWORD})
    assert client.get("/staff/").status_code == 200  # the exemption works for staff pages
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response.url.startswith("/django-admin/login/")


@pytest.mark.django_db
def test_admin_login_form_needs_an_otp_token(client, world):
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    TOTPDevice.objects.create(user=world.sysadmin, name="phone", confirmed=True)
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": "sysadmin", "password": PASSWORD, "otp_token": ""}
    )
    assert response.status_code == 200
    assert client.get("/django-admin/").status_code != 200
