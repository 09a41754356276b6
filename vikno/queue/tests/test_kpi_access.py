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
