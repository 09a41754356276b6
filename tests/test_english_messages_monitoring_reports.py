"""Monitoring, reports, accounts, the citizen portal and pagination speak the reader's language: a
staff member or a visitor who chose English gets the refusals and the report's figure names in
English; the API and the exported files meant for publication stay Ukrainian."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.utils import translation

from vikno.accounts import services as accounts
from vikno.cases.models import Status
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.pagination import paginate
from vikno.core.scoping import Role
from vikno.monitoring import services as monitoring
from vikno.monitoring.tests.helpers import actor, answers, make_questionnaire
from vikno.orgs.models import Center
from vikno.portal import services as portal
from vikno.reports import rollup
from vikno.reports import services as reports
from vikno.reports.tests.factories import case, kyiv, version

CYRILLIC = re.compile("[\u0400-\u04ff]")
STAFF_TOOL = Actor(label="test")


def _refusal(function, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        function(*args, **kwargs)
    return caught.value


def _english(client, next_url="/staff/"):
    assert client.post("/i18n/setlang/", {"language": "en", "next": next_url}).status_code == 302
    return client


# --- monitoring ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_monitoring_refusals_in_english_and_in_ukrainian(world):
    t = make_questionnaire()
    submitted = monitoring.save_answers(
        world.center_a, t.questionnaire, "2026-Q1", answers(t), actor=actor(world.head_a), submit=True
    )
    with translation.override("en"):
        assert monitoring.parse_period("2026-Q1").label == "quarter 1 of 2026"
        assert _refusal(monitoring.parse_period, "2026-Q9").message == (
            "Write the period as 2026-Q1 (quarter), 2026-H1 (half-year) or 2026 (year)."
        )
        assert _refusal(monitoring.transition, submitted, "accept", actor=actor(world.head_a)).message == (
            "Your role does not allow you to accept the self-assessment."
        )
        again = _refusal(
            monitoring.save_answers, world.center_a, t.questionnaire, "2026-Q1", answers(t), actor=actor(world.head_a)
        )
        assert again.message == (
            "The self-assessment for quarter 1 of 2026 already has the status «Submitted»: "
            "the answers cannot be changed."
        )
        bad = _refusal(
            monitoring.save_answers,
            world.center_a,
            t.questionnaire,
            "2026-Q1",
            answers(t, ramp="maybe", admins="abc"),
            actor=actor(world.head_a),
        )
        assert bad.message.startswith("Check the answers: 2 errors. ") and "«abc» is not a number." in bad.message
        assert str(monitoring.REGISTRY["loyalty_index"].label) == "Loyalty index (NPS), −100…100"
    with translation.override("uk"):
        assert monitoring.parse_period("2026-Q1").label == "1 квартал 2026"
        assert _refusal(monitoring.transition, submitted, "accept", actor=actor(world.head_a)).message == (
            "Ваша роль не дозволяє прийняти самооцінювання."
        )
        assert str(monitoring.REGISTRY["loyalty_index"].label) == "Індекс лояльності (NPS), −100…100"


@pytest.mark.django_db
def test_monitoring_page_in_english_while_the_export_and_the_api_stay_ukrainian(world, login_as):
    make_questionnaire()
    client = _english(login_as(world.monitor_1))
    page = client.get("/staff/monitoring/", {"period": "2026-Q9"})
    assert page.status_code == 400
    assert "Write the period as 2026-Q1 (quarter)" in page.content.decode()
    assert "Період вкажіть" not in page.content.decode()

    exported = client.get("/staff/monitoring/", {"period": "2026-Q1", "format": "csv"}).content.decode("utf-8-sig")
    assert "Період: 1 квартал 2026" in exported and "quarter" not in exported

    api = client.get("/api/v1/monitoring/summary", {"period": "2026-Q9"})
    assert api.status_code == 400
    assert api.json()["message"] == "Період вкажіть як 2026-Q1 (квартал), 2026-H1 (півріччя) або 2026 (рік)."


# --- reports ---------------------------------------------------------------------------------------


@pytest.fixture
def report_data(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case(world.center_a, world.office_a, version("REG", "Реєстрація"), kyiv(2026, 2, 2, 10), status=Status.REFUSED)
    rollup.refresh_dirty()
    return world


@pytest.mark.django_db
def test_center_report_in_english_on_the_page_and_ukrainian_in_the_export_and_the_api(report_data, login_as):
    client = _english(login_as(report_data.head_a))
    query = {"center": report_data.center_a.pk, "from": "2026-01-01", "to": "2026-03-31"}
    html = client.get("/staff/reports/center/", query).content.decode()
    assert '<html lang="en">' in html
    assert "Applications registered" in html and "Refusals, % of applications" in html and "Days with intake" in html
    assert "Зареєстровано заяв" not in html and "Днів з прийомом" not in html

    exported = client.get("/staff/reports/center/", {**query, "format": "csv"}).content.decode("utf-8-sig")
    labels = [row[0] for row in csv.reader(io.StringIO(exported)) if row]
    assert "Зареєстровано заяв" in labels and "Відмов" in labels and "Днів з прийомом" in labels
    assert "Applications registered" not in labels

    inverted = client.get("/staff/reports/center/", {**query, "from": "2026-04-01"})
    assert inverted.status_code == 400 and "The start of the period is after its end" in inverted.content.decode()

    api = client.get(
        "/api/v1/reports/center",
        {"center": report_data.center_a.pk, "from": "2026-01-01", "to": "2026-03-31"},
    ).json()
    assert api["figures"][1]["label"] == "Зареєстровано заяв"
    refused = client.get(
        "/api/v1/reports/center",
        {"center": report_data.center_a.pk, "from": "2026-04-01", "to": "2026-03-31"},
    )
    assert refused.status_code == 400
    assert refused.json()["message"] == "Початок періоду пізніше за його кінець: перевірте дати."


@pytest.mark.django_db
def test_report_figure_names_follow_the_language(report_data):
    with translation.override("en"):
        report = reports.center_report(report_data.head_a, report_data.center_a.pk, date(2026, 1, 1), date(2026, 3, 31))
        names = [str(f.label) for f in [*report.figures, *report.payments]]
        assert "Refusals" in names and "Revenue, UAH" in names and "POS terminal, UAH" in names
        assert not [name for name in names if CYRILLIC.search(name)]
        assert _refusal(reports.check_period, None, date(2026, 1, 1)).message == "Enter the start of the period."
    with translation.override("uk"):
        assert [str(f.label) for f in report.figures][:2] == ["Надано консультацій", "Зареєстровано заяв"]


# --- accounts, the portal, pagination ----------------------------------------------------------------


@pytest.mark.django_db
def test_staff_management_refusals_in_english(world):
    with translation.override("en"):
        scope = _refusal(
            accounts.create_staff, username="new", role=Role.ADMINISTRATOR, provider=world.provider_a, actor=STAFF_TOOL
        )
        assert scope.message == "The role «Center administrator» needs a center (and neither a provider nor an oblast)."
        taken = _refusal(
            accounts.create_staff, username=world.admin_a.username, role=Role.ADMINISTRATOR, center=world.center_a,
            actor=STAFF_TOOL,
        )  # fmt: skip
        assert taken.message == f"The username «{world.admin_a.username}» is already taken."
    with translation.override("uk"):
        scope = _refusal(
            accounts.create_staff, username="new", role=Role.ADMINISTRATOR, provider=world.provider_a, actor=STAFF_TOOL
        )
        assert scope.message.startswith("Для ролі «Адміністратор ЦНАП» потрібно вказати ЦНАП")


@pytest.mark.django_db
def test_staff_account_page_refusals_in_english_and_in_ukrainian(world):
    head = Actor(user=world.head_a)
    with translation.override("en"):
        assert _refusal(accounts.deactivate_staff, world.head_a, actor=head).message == (
            "You cannot deactivate your own account."
        )
        assert _refusal(accounts.unlock_staff, world.admin_a, actor=head).message == "The account is not locked out."
        assert _refusal(accounts.deactivate_staff, world.admin_b, actor=head).message == "Staff account not found."
    with translation.override("uk"):
        assert _refusal(accounts.reactivate_staff, world.admin_a, actor=head).message == (
            "Обліковий запис уже активний."
        )


@pytest.mark.django_db
def test_portal_refusals_follow_the_visitors_language(world, client):
    with translation.override("en"):
        assert _refusal(portal.ask_question, world.center_a, {}).message == "Enter how we should address you."
        assert _refusal(portal.record_survey, world.center_a, {"score": "9"}).message == "Rate the service from 1 to 5."
    _english(client, "/c/center-a/")
    page = client.post("/c/center-a/ask/", {"name": "Ivan", "text": "Which documents do I need?"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Enter an email address or a phone number so that we can send the answer." in html
    assert "Вкажіть електронну пошту" not in html


@pytest.mark.django_db
def test_pagination_refusals_in_english(world):
    with translation.override("en"):
        assert _refusal(paginate, Center.objects.all(), limit=0).message == "The page size must be between 1 and 200."
        assert _refusal(paginate, Center.objects.all(), cursor="!!").message == "Invalid page cursor."
    with translation.override("uk"):
        assert _refusal(paginate, Center.objects.all(), cursor="!!").message == "Некоректний курсор сторінки."


def test_django_s_own_invalid_choice_message_reads_right_in_ukrainian():
    from django import forms
    from django.utils import translation

    class Pick(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "A")])

    with translation.override("uk"):
        (message,) = Pick({"kind": "z"}).errors["kind"]
    assert message.startswith("Зробіть коректний вибір")  # Django's own catalog says «Зробить»
