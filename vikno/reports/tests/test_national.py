"""The national dashboard (per region, from the monthly roll-ups), period splitting and the outbox
behaviour of the roll-up marks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from vikno.core.errors import DomainError
from vikno.reports import rollup, store
from vikno.reports.models import RollupDelta
from vikno.reports.national import national_dashboard

from .factories import case, kyiv, version


def test_split_period():
    assert store.split_period(date(2026, 3, 5), date(2026, 3, 20)) == ([(date(2026, 3, 5), date(2026, 3, 20))], None)
    assert store.split_period(date(2026, 1, 1), date(2026, 12, 31)) == ([], (date(2026, 1, 1), date(2026, 12, 1)))
    assert store.split_period(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 2, 1), date(2026, 3, 1)),
    )
    assert store.split_period(date(2026, 2, 1), date(2026, 2, 28)) == ([], (date(2026, 2, 1), date(2026, 2, 1)))


@pytest.fixture
def filed(world):
    world.center_a.hromada.population = 20000
    world.center_a.hromada.save()
    ver = version("REG")
    for day, status in ((3, "accepted"), (4, "refused"), (20, "accepted")):
        case(world.center_a, world.office_a, ver, kyiv(2026, 2, day, 10), status=status)
    case(world.center_b, world.office_b, ver, kyiv(2026, 3, 2, 10))
    rollup.refresh_dirty()
    return world


def test_national_dashboard_per_region_and_total(filed):
    board = national_dashboard(filed.sysadmin, date(2026, 1, 1), date(2026, 12, 31))
    by_name = {row.name: row for row in board.rows}
    first = by_name[filed.center_a.region.name]
    second = by_name[filed.center_b.region.name]
    assert (first.centers, first.access_points, first.population) == (1, 2, 20000)
    assert first.get("cases_registered") == 3 and first.get("refused") == 1
    assert first.refused_share == Decimal("33.3") and first.per_1000 == Decimal("0.2")
    assert second.get("cases_registered") == 1 and second.per_1000 is None
    assert board.total.get("cases_registered") == 4 and board.total.centers == 2


def test_national_dashboard_is_scoped(filed):
    board = national_dashboard(filed.monitor_1, date(2026, 2, 10), date(2026, 3, 31))
    assert [row.name for row in board.rows] == [filed.center_a.region.name]
    assert board.rows[0].get("cases_registered") == 1  # 20 February only
    assert national_dashboard(filed.admin_a, date(2026, 1, 1), date(2026, 12, 31)).rows == []


def test_national_dashboard_bad_period(filed):
    with pytest.raises(DomainError) as error:
        national_dashboard(filed.sysadmin, date(2026, 5, 1), date(2026, 4, 1))
    assert error.value.code == "period_inverted"


def test_a_rolled_back_change_leaves_no_delta(world):
    with transaction.atomic():
        case(world.center_a, world.office_a, version("REG"), kyiv(2026, 2, 3, 10))
        assert RollupDelta.objects.filter(metric="cases_registered").count() == 1  # written in its transaction
        transaction.set_rollback(True)
    assert RollupDelta.objects.count() == 0


def test_national_page(filed, client, login_as):
    login_as(filed.sysadmin)
    page = client.get("/staff/reports/national/", {"from": "2026-01-01", "to": "2026-12-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert filed.center_a.region.name in html
    assert '<td class="num">33,3</td>' in html and '<td class="num">0,2</td>' in html  # a decimal comma
    assert '<td class="num">0,00</td>' in html  # revenue, two places
    assert client.get("/staff/reports/national/", {"from": "2026-12-31", "to": "2026-01-01"}).status_code == 400
    assert client.get("/staff/reports/national/", {"from": "nonsense", "to": ""}).status_code == 400
    client.logout()
    login_as(filed.admin_a)
    assert client.get("/staff/reports/national/").status_code == 404


def test_national_api(filed, client):
    from vikno.accounts.models import ApiToken

    _token, key = ApiToken.issue(filed.sysadmin, "test")
    answer = client.get(
        "/api/v1/reports/national", {"from": "2026-01-01", "to": "2026-12-31"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert answer.status_code == 200
    assert answer.json()["total"]["figures"]["cases_registered"] == 4
    inverted = client.get(
        "/api/v1/reports/national", {"from": "2026-12-31", "to": "2026-01-01"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert inverted.status_code == 400 and inverted.json()["code"] == "period_inverted"
