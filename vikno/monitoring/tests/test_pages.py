"""The staff pages: fill in, submit, review, the summary with its exports, history and indicators;
bad input answers 4xx with a message and changes nothing; another center is a 404."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from vikno.core.models import AuditEvent
from vikno.monitoring import services
from vikno.monitoring.models import Assessment, IndicatorValue
from vikno.testing.fixtures import login

from .helpers import actor, answers, make_indicator, make_questionnaire

PERIOD = "2026-Q1"


@pytest.fixture
def switch_to(client):
    """Log the test client out, then in as ``user`` (the login page sends a logged-in user away)."""

    def _switch(user):
        client.logout()
        login(client, user)
        return client

    return _switch


@pytest.fixture
def t(db):
    return make_questionnaire()


def fill_url(center, period=PERIOD):
    return f"/staff/monitoring/centers/{center.pk}/fill/{period}/"


def test_fill_save_and_submit(world, t, login_as):
    client = login_as(world.head_a)
    page = client.get(fill_url(world.center_a))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<legend>Доступність</legend>" in html and f'name="q{t.ramp.pk}"' in html
    response = client.post(fill_url(world.center_a), {**answers(t), "action": "save"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.status == "draft" and assessment.percent == Decimal("60.00")
    again = client.get(fill_url(world.center_a)).content.decode()
    assert 'value="7"' in again and "checked" in again
    response = client.post(fill_url(world.center_a), {**answers(t), "action": "submit"})
    assert response.status_code == 302 and response["Location"] == f"/staff/monitoring/assessments/{assessment.pk}/"
    assert Assessment.objects.get().status == "submitted"
    # Once submitted, the form sends the user to the read-only page and refuses changes.
    assert client.get(fill_url(world.center_a)).status_code == 302
    response = client.post(fill_url(world.center_a), {**answers(t, ramp="no"), "action": "save"})
    assert response.status_code == 409
    assert Assessment.objects.get().percent == Decimal("60.00")


def test_bad_input_on_the_form(world, t, login_as):
    client = login_as(world.admin_a)
    response = client.post(fill_url(world.center_a), {**answers(t, admins="250"), "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "більше за допустиме (100)" in html and f'href="#id_q{t.admins.pk}"' in html
    assert 'value="250"' in html and 'aria-invalid="true"' in html
    response = client.post(fill_url(world.center_a), {**answers(t, ramp=""), "action": "submit"})
    assert response.status_code == 400 and "обов&#x27;язкові питання" in response.content.decode()
    assert not Assessment.objects.exists()
    assert client.get(fill_url(world.center_a, "2026-Q7")).status_code == 404
    assert client.get(fill_url(world.center_a, "2026")).status_code == 404
    response = client.post(fill_url(world.center_a, "2099-Q1"), {**answers(t), "action": "save"})
    assert response.status_code == 400 and "ще не почався" in response.content.decode()


def test_foreign_center_and_roles(world, t, login_as, switch_to):
    client = login_as(world.head_a)
    assert client.get(fill_url(world.center_b)).status_code == 404
    assert client.post(fill_url(world.center_b), {**answers(t), "action": "save"}).status_code == 404
    assert client.get(f"/staff/monitoring/centers/{world.center_b.pk}/").status_code == 404
    assert not Assessment.objects.exists()
    other = services.save_answers(world.center_b, t.questionnaire, PERIOD, answers(t), actor=actor(world.admin_b))
    assert client.get(f"/staff/monitoring/assessments/{other.pk}/").status_code == 404
    assert switch_to(world.officer_a).get("/staff/monitoring/").status_code == 404
    assert switch_to(world.monitor_1).get(fill_url(world.center_a)).status_code == 404  # monitors do not fill in


def test_review_page(world, t, login_as, switch_to):
    draft = services.save_answers(world.center_a, t.questionnaire, PERIOD, answers(t), actor=actor(world.head_a))
    client = login_as(world.monitor_1)
    url = f"/staff/monitoring/assessments/{draft.pk}/review/"
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 409 and "Чернетка" in response.content.decode()
    services.transition(draft, "submit", actor=actor(world.head_a))
    page = client.get(f"/staff/monitoring/assessments/{draft.pk}/").content.decode()
    assert 'name="decision" value="return"' in page and "Пандус" in page
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Напишіть, що потрібно виправити" in response.content.decode()
    assert client.post(url, {"decision": "delete"}).status_code == 400
    assert Assessment.objects.get().status == "submitted"
    response = client.post(url, {"decision": "return", "comment": "Перевірте ДРАЦС"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.status == "returned" and assessment.reviewer_comment == "Перевірте ДРАЦС"
    event = AuditEvent.objects.get(action="monitoring.assessment.return")
    assert event.actor_id == world.monitor_1.pk and event.ip == "127.0.0.1"
    # Heads cannot review, even their own center.
    head = switch_to(world.head_a)
    assert head.post(url, {"decision": "accept"}).status_code == 404
    fill = head.get(fill_url(world.center_a)).content.decode()
    assert "Перевірте ДРАЦС" in fill


@pytest.fixture
def summary_data(world, t):
    first = services.save_answers(
        world.center_a, t.questionnaire, "2025-Q4", answers(t), actor=actor(world.head_a), submit=True
    )
    services.transition(first, "accept", actor=actor(world.monitor_1))
    services.save_answers(
        world.center_a, t.questionnaire, PERIOD, answers(t, dracs="full"), actor=actor(world.head_a), submit=True
    )
    make_indicator("points", "access_points", name="Точки доступу", target=Decimal(5), threshold=Decimal(1))
    services.compute_indicators(world.center_a, PERIOD)
    return world


def test_summary_page_and_exports(summary_data, login_as):
    client = login_as(summary_data.monitor_1)
    html = client.get("/staff/monitoring/", {"period": PERIOD}).content.decode()
    assert "ЦНАП А" in html and "80,00" in html and "20,00" in html and "format=xlsx" in html
    response = client.get("/staff/monitoring/", {"period": PERIOD, "format": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "ЦНАП")
    row = dict(zip(head, next(r for r in rows if r and r[0] == "ЦНАП А"), strict=True))
    assert row["Бал, %"] == Decimal("80") or row["Бал, %"] == 80
    assert row["Доступ до реєстрів, %"] == 100
    assert row["Зміна до попереднього періоду, п.п."] == 20
    assert row["Точки доступу (бал)"] == 25
    assert row["Статус за період"] == "Подано" and row["Останнє подане"] == PERIOD
    text = client.get("/staff/monitoring/", {"period": PERIOD, "format": "csv"}).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert ["ЦНАП А", "Подано", PERIOD, "80", "66.67", "100", "66.67", "20", "25", "25"] in csv_rows
    response = client.get("/staff/monitoring/", {"period": "2026-Q9"})
    assert response.status_code == 400 and "2026-Q1 (квартал)" in response.content.decode()
    assert client.get("/staff/monitoring/", {"period": PERIOD, "region": summary_data.r2.pk}).status_code == 404
    # A wrong period and a region out of scope (or not a number) at once: 404, not a server error.
    assert client.get("/staff/monitoring/", {"period": "2026-Q9", "region": summary_data.r2.pk}).status_code == 404
    assert client.get("/staff/monitoring/", {"period": "абв", "region": "абв"}).status_code == 404


def test_export_links_keep_the_filters_without_a_stray_separator(summary_data, login_as):
    client = login_as(summary_data.sysadmin)
    html = client.get("/staff/monitoring/").content.decode()
    assert 'href="?format=csv"' in html and 'href="?format=xlsx"' in html and "?&amp;" not in html
    region = summary_data.r1.pk
    html = client.get("/staff/monitoring/", {"period": PERIOD, "region": region}).content.decode()
    assert f'href="?period={PERIOD}&amp;region={region}&amp;format=csv"' in html
    assert client.get(f"/staff/monitoring/?period={PERIOD}&region={region}&format=csv").status_code == 200
    # A period the page refused: the links download the period it shows instead.
    html = client.get("/staff/monitoring/", {"period": "2026-Q9"}).content.decode()
    assert "2026-Q9" not in html.split("format=csv")[0].rsplit('href="', 1)[1]
    assert "?&amp;" not in html


def test_summary_of_a_center_head(summary_data, login_as):
    html = login_as(summary_data.admin_b).get("/staff/monitoring/", {"period": PERIOD}).content.decode()
    assert "ЦНАП Б" in html and "ЦНАП А" not in html


def test_history_page(summary_data, login_as):
    client = login_as(summary_data.head_a)
    html = client.get(f"/staff/monitoring/centers/{summary_data.center_a.pk}/").content.decode()
    assert "2025-Q4" in html and "Точки доступу" in html and "/fill/" in html


def test_indicators_page(world, login_as, switch_to):
    manual = make_indicator("wait", name="Очікування", direction="lower", target=Decimal(10), threshold=Decimal(40),
                            min_value=0, max_value=600)  # fmt: skip
    make_indicator("points", "access_points", name="Точки доступу", target=Decimal(5), threshold=Decimal(1))
    client = login_as(world.head_a)
    url = "/staff/monitoring/indicators/"
    html = client.get(url, {"period": PERIOD}).content.decode()
    assert "Очікування" in html and f'id="id_value_{manual.pk}"' in html
    response = client.post(url, {"center": world.center_a.pk, "period": PERIOD, "action": "compute"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator__code="points").value == 2
    data = {"center": world.center_a.pk, "period": PERIOD, "indicator": manual.pk, "action": "set"}
    response = client.post(url, {**data, "value": "999"})
    assert response.status_code == 400 and "більше за допустиме" in response.content.decode()
    assert client.post(url, {**data, "value": "abc"}).status_code == 400
    assert not IndicatorValue.objects.filter(indicator=manual).exists()
    assert client.post(url, {**data, "value": "25"}).status_code == 302
    assert IndicatorValue.objects.get(indicator=manual).score == Decimal("50.00")
    assert client.post(url, {**data, "center": world.center_b.pk, "value": "5"}).status_code == 404
    assert client.get(url, {"center": world.center_b.pk}).status_code == 404
    assert client.get(url, {"center": world.center_a.pk, "period": "x"}).status_code == 400
    # Administrators see the values but cannot enter them.
    admin = switch_to(world.admin_a)
    assert admin.post(url, {**data, "value": "5"}).status_code == 404


def test_staff_menu_links_monitoring(world, login_as):
    assert 'href="/staff/monitoring/"' in login_as(world.head_a).get("/staff/").content.decode()


def test_history_offers_to_fill_in_only_the_periods_still_open(world, t, login_as):
    """The previous and the current period are offered while they have no self-assessment, a draft or a
    returned one; a submitted one is not offered again (its link only led back to the read-only page)."""
    current = services.period_containing(t.questionnaire.period_kind, services.today())
    previous = services.previous_period(current)
    client = login_as(world.head_a)
    url = f"/staff/monitoring/centers/{world.center_a.pk}/"
    html = client.get(url).content.decode()
    assert fill_url(world.center_a, previous.key) in html and fill_url(world.center_a, current.key) in html
    services.save_answers(world.center_a, t.questionnaire, previous.key, answers(t), actor=actor(world.head_a))
    assert fill_url(world.center_a, previous.key) in client.get(url).content.decode()  # a draft: still open
    services.save_answers(
        world.center_a, t.questionnaire, previous.key, answers(t), actor=actor(world.head_a), submit=True
    )
    html = client.get(url).content.decode()
    assert fill_url(world.center_a, previous.key) not in html and fill_url(world.center_a, current.key) in html
