"""The KPI API and staff page: center heads, oblast monitors and system administrators, each in their scope."""

from vikno.queue.tests.booking_world import MONDAY
from vikno.queue.tests.test_kpi_figures import TUESDAY, visits  # noqa: F401


def test_kpi_api_for_a_center_head(login_as, world, visits):  # noqa: F811
    client = login_as(world.head_a)
    answer = client.get(f"/api/v1/queue/kpi?office_id={world.office_a.pk}&date_from={MONDAY}&date_to={TUESDAY}")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["total"]["tickets"] == 6 and data["total"]["average_wait_minutes"] == 7.4
    assert {q["name"]: q["service_level"] for q in data["queues"]} == {"Довідки": 1.0, "Реєстрація": 0.6}
    assert data["ratings"]["loyalty_index"] == 25.0
    outside = client.get(f"/api/v1/queue/kpi?office_id={world.office_b.pk}&date_from={MONDAY}&date_to={MONDAY}")
    assert outside.status_code == 404


def test_kpi_api_refuses_administrators_and_anonymous(client, login_as, world):
    assert client.get("/api/v1/queue/kpi").status_code == 401
    assert login_as(world.admin_a).get("/api/v1/queue/kpi").status_code == 404


def test_kpi_page(login_as, world, visits):  # noqa: F811
    client = login_as(world.head_a)
    page = client.get(f"/staff/queue/kpi/?office={world.office_a.pk}&date_from={MONDAY}&date_to={TUESDAY}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Реєстрація" in body and "60%" in body and "7.4" in body.replace(",", ".")
    wrong = client.get(f"/staff/queue/kpi/?date_from={TUESDAY}&date_to={MONDAY}")
    assert wrong.status_code == 400 and "пізніший" in wrong.content.decode()


def test_kpi_page_is_hidden_from_administrators(login_as, world):
    assert login_as(world.admin_a).get("/staff/queue/kpi/").status_code == 404


def test_kpi_api_refuses_parameters_it_does_not_read(login_as, world, visits):  # noqa: F811
    """``from``/``to`` (or any other name) used to be ignored: the figures of today came back as if they
    were the period asked for."""
    client = login_as(world.head_a)
    answer = client.get(f"/api/v1/queue/kpi?from={MONDAY}&to={TUESDAY}")
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "unknown_parameter",
        "message": "Невідомий параметр «from»: використовуйте «date_from».",
        "field": "from",
    }
    other = client.get(f"/api/v1/queue/kpi?date_from={MONDAY}&colour=red", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 400
    assert other.json()["message"] == "Невідомий параметр «colour». Допустимі параметри: office_id, date_from, date_to."
    office = client.get(f"/api/v1/queue/kpi?office={world.office_a.pk}")
    assert office.json()["message"] == "Невідомий параметр «office»: використовуйте «office_id»."
    shouting = client.get(f"/api/v1/queue/kpi?DATE_FROM={MONDAY}")
    assert shouting.json()["message"] == "Невідомий параметр «DATE_FROM»: використовуйте «date_from»."


def test_kpi_api_refuses_a_reversed_or_malformed_period(login_as, world):
    client = login_as(world.head_a)
    reversed_period = client.get(f"/api/v1/queue/kpi?date_from={TUESDAY}&date_to={MONDAY}")
    assert reversed_period.status_code == 400
    assert reversed_period.json() == {
        "code": "invalid_period",
        "message": "Початок періоду пізніший за кінець.",
        "field": "date_from",
    }
    too_long = client.get("/api/v1/queue/kpi?date_from=2024-01-01&date_to=2026-01-01")
    assert too_long.status_code == 400 and too_long.json()["code"] == "period_too_long"
    malformed = client.get("/api/v1/queue/kpi?date_from=2026-13-01")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["message"] == "Очікувалася дата у форматі РРРР-ММ-ДД."


def test_kpi_parameters_are_documented(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/queue/kpi"]["get"]
    names = {p["name"]: p["description"] for p in operation["parameters"]}
    assert list(names) == ["office_id", "date_from", "date_to"]
    assert "YYYY-MM-DD" in names["date_from"] and "inclusive" in names["date_to"]
    assert "unknown_parameter" in operation["description"] and "`from`/`to`" in operation["description"]
    assert {"400", "422"} <= set(operation["responses"])


def test_kpi_page_refuses_parameters_it_does_not_read(login_as, world, visits):  # noqa: F811
    client = login_as(world.head_a)
    page = client.get(f"/staff/queue/kpi/?from={MONDAY}&to={TUESDAY}", HTTP_ACCEPT_LANGUAGE="uk")
    assert page.status_code == 400
    body = page.content.decode()
    assert "Невідомий параметр «from»: використовуйте «date_from»." in body
    assert page.context["report"] is None
    english = client.get(f"/staff/queue/kpi/?office_id={world.office_a.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert "Unknown parameter «office_id»: use «office»." in english.content.decode()
