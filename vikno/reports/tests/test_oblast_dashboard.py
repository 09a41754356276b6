"""The oblast dashboard and the drill-down by access point: exact figures from hand-made data, scoping,
bad input, the page, the API and the exports read back."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from vikno.catalog.models import OfficeService, ProviderService, ServiceList, ServiceListEntry
from vikno.core.errors import DomainError, NotFound
from vikno.core.scoping import Role
from vikno.orgs.models import Center, Hromada, Office, Provider
from vikno.queue.models import VisitEvent
from vikno.reports import oblast, rollup
from vikno.testing.fixtures import make_user

from .factories import case, kyiv, queue, rating, ticket, version

URL = "/staff/reports/oblast/"
API = "/api/v1/reports/oblast"
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def visit(q, day: date, events: list[tuple[str, int]], *, status: str = "done"):
    """A ticket issued at 10:00 local time on ``day`` with its visit events (kind, seconds after issue)."""
    t = ticket(q, day, status=status)
    VisitEvent.objects.create(
        ticket=t, queue=q, center_id=t.center_id, region_id=t.region_id, kind="issued", at=t.issued_at
    )
    for kind, seconds in events:
        VisitEvent.objects.create(
            ticket=t,
            queue=q,
            center_id=t.center_id,
            region_id=t.region_id,
            kind=kind,
            at=t.issued_at + timedelta(seconds=seconds),
        )
    return t


def _list(center, valid_from: date, versions) -> ServiceList:
    service_list = ServiceList.objects.create(
        center=center, decision_number=f"{valid_from:%Y%m%d}", decision_date=valid_from, valid_from=valid_from
    )
    for position, ver in enumerate(versions):
        ServiceListEntry.objects.create(service_list=service_list, service=ver.service, position=position)
    return service_list


@pytest.fixture
def oblast_world(world, django_capture_on_commit_callbacks):
    w = world
    Hromada.objects.filter(pk=w.h1.pk).update(population=2000)
    h3 = Hromada.objects.create(katottg="UA05020050000012345", name="Третя", region=w.r1, raion=w.h1.raion)
    w.center_c = Center.objects.create(name="ЦНАП В", slug="center-c", hromada=h3)
    w.office_c = Office.objects.create(center=w.center_c, kind="main", name="ЦНАП В, головний офіс")
    w.branch_a = Office.objects.create(center=w.center_a, kind="branch", name="ТП А-1")
    Office.objects.create(center=w.center_a, kind="mobile", name="Мобільний ЦНАП А", is_active=False)
    second = make_user("admin_a2", Role.ADMINISTRATOR, center=w.center_a)
    second.offices.add(w.remote_a)
    make_user("admin_a3", Role.ADMINISTRATOR, center=w.center_a, is_active=False)

    vers = {code: version(code) for code in ("RMP", "ACS", "SOC", "PEN", "ZEM", "TST", "XYZ", "BUS")}
    vers["TST"].provider_level = "local"
    vers["TST"].save()
    council = Provider.objects.create(
        name="Відділ ради А", edrpou="40090718", kind="council_department", region=w.r1, hromada=w.h1
    )
    ProviderService.objects.create(provider=council, service=vers["XYZ"].service)
    _list(w.center_a, date(2025, 1, 1), [vers["RMP"]])
    _list(w.center_a, date(2026, 1, 1), [vers[c] for c in ("RMP", "ACS", "SOC", "PEN", "ZEM", "TST", "XYZ")])
    _list(w.center_a, date(2026, 6, 1), [vers["BUS"]])  # after the period: not in force on its last day
    _list(w.center_c, date(2026, 1, 1), [vers["BUS"]])
    for office, codes in ((w.office_a, ("RMP", "ACS")), (w.remote_a, ("RMP",))):
        for code in codes:
            OfficeService.objects.create(office=office, service=vers[code].service)

    with django_capture_on_commit_callbacks(execute=True):
        for office, day in ((w.office_a, 2), (w.office_a, 3), (w.remote_a, 4)):
            case(w.center_a, office, vers["RMP"], kyiv(2026, 2, day, 10))
        case(w.center_a, w.office_a, vers["RMP"], kyiv(2025, 12, 31, 10))  # before the period
        case(w.center_c, w.office_c, vers["BUS"], kyiv(2026, 2, 2, 10))
        case(w.center_b, w.office_b, vers["ACS"], kyiv(2026, 2, 2, 10))

        q = queue(w.office_a)
        q.target_wait_minutes = 10
        q.save()
        day = date(2026, 2, 2)
        visit(q, day, [("called", 300), ("started", 360), ("finished", 960)])
        visit(q, day, [("called", 1200), ("no_show", 1500)], status="no_show")
        visit(q, day, [("cancelled", 1800)], status="cancelled")
        visit(q, day, [("called", 480), ("started", 540), ("transferred", 720), ("started", 780), ("finished", 1380)])

        for stars, recommend in ((5, 10), (4, 9), (2, 3), (5, None)):
            rating(w.office_a, kyiv(2026, 2, 2, 12), stars, recommend)
    rollup.refresh_dirty()
    return w


def test_center_lines_have_the_exact_figures(oblast_world):
    w = oblast_world
    board = oblast.oblast_dashboard(w.monitor_1, None, *PERIOD)
    assert board.region == w.r1
    assert [line.name for line in board.lines] == ["ЦНАП А", "ЦНАП В"]
    a, c = board.lines
    assert a.points == {"main": 1, "branch": 1, "remote": 1, "mobile": 1}
    assert (a.access_points, a.active_points) == (4, 3)
    assert a.staff == {"administrator": 2, "center_head": 1} and a.staff_total == 3
    assert a.list_size == 7
    assert a.groups == {"residence": 1, "civil_status": 1, "social": 2, "land": 1, "council": 2}
    assert a.groups_covered == 5
    assert a.groups_missing == ["business", "property", "passports"]
    assert a.cases == 3 and a.population == 2000 and a.per_1000 == Decimal("1.5")
    assert a.visitors == 3
    assert a.average_wait_minutes == Decimal("11.0")  # (300 + 1200 + 480) s / 3 called
    assert a.service_level == Decimal("50.0")  # 2 within 10 min / (3 called + 1 abandoned)
    assert a.no_show_share == Decimal("25.0")  # 1 of 4 issued
    assert a.ratings_count == 4 and a.satisfied_share == Decimal("75.0")
    assert a.loyalty_index == Decimal("33.3")  # (2 promoters − 1 detractor) / 3 answers
    assert a.report_url == f"/staff/reports/center/?center={w.center_a.pk}&from=2026-01-01&to=2026-03-31"

    assert c.points == {"main": 1} and c.staff_total == 0 and c.list_size == 1
    assert c.groups == {"business": 1} and c.cases == 1
    assert c.population is None and c.per_1000 is None
    assert c.average_wait_minutes is None and c.service_level is None and c.loyalty_index is None


def test_total_line(oblast_world):
    total = oblast.oblast_dashboard(oblast_world.monitor_1, None, *PERIOD).total
    assert total.points == {"main": 2, "branch": 1, "remote": 1, "mobile": 1}
    assert total.active_points == 4 and total.staff_total == 3
    assert total.groups["residence"] == 1 and total.groups["business"] == 1  # centers covering the group
    assert total.cases == 4
    assert total.population == 2000 and total.per_1000 == Decimal("1.5")  # only the hromada with a population
    assert total.visitors == 3 and total.service_level == Decimal("50.0")


def test_drilldown_by_access_point(oblast_world):
    w = oblast_world
    board = oblast.center_drilldown(w.monitor_1, w.center_a.pk, *PERIOD)
    assert [line.kind for line in board.lines] == ["main", "branch", "remote", "mobile"]
    main, branch, remote, mobile = board.lines
    assert main.office_id == w.office_a.pk and main.staff == {"administrator": 1}
    assert remote.staff == {"administrator": 1} and branch.staff == {}
    assert (main.list_size, remote.list_size, branch.list_size) == (2, 1, None)
    assert main.groups == {"residence": 1, "civil_status": 1} and remote.groups == {"residence": 1}
    assert (main.cases, remote.cases, branch.cases) == (2, 1, 0)
    assert main.visitors == 3 and main.service_level == Decimal("50.0") and remote.average_wait_minutes is None
    assert main.satisfied_share == Decimal("75.0")
    assert not mobile.is_active and mobile.active_points == 0
    assert board.total.center_id == w.center_a.pk and board.total.cases == 3 and board.total.per_1000 == Decimal("1.5")


def test_scoping(oblast_world):
    w = oblast_world
    head = oblast.oblast_dashboard(w.head_a, None, *PERIOD)
    assert [line.center_id for line in head.lines] == [w.center_a.pk]
    assert head.total.cases == 3
    with pytest.raises(NotFound):
        oblast.oblast_dashboard(w.monitor_1, w.r2.pk, *PERIOD)
    with pytest.raises(NotFound):
        oblast.center_drilldown(w.monitor_1, w.center_b.pk, *PERIOD)
    with pytest.raises(NotFound):
        oblast.center_drilldown(w.head_a, w.center_c.pk, *PERIOD)
    with pytest.raises(NotFound):
        oblast.oblast_dashboard(w.admin_a, None, *PERIOD)  # administrators do not read the dashboard
    other = oblast.oblast_dashboard(w.sysadmin, w.r2.pk, *PERIOD)
    assert [line.center_id for line in other.lines] == [w.center_b.pk] and other.total.cases == 1


def test_bad_period(oblast_world):
    with pytest.raises(DomainError) as error:
        oblast.oblast_dashboard(oblast_world.monitor_1, None, date(2026, 3, 1), date(2026, 2, 1))
    assert error.value.code == "period_inverted"
    with pytest.raises(DomainError):
        oblast.center_drilldown(oblast_world.monitor_1, oblast_world.center_a.pk, None, date(2026, 2, 1))


# --- the page ---------------------------------------------------------------------------------------


def _get(client, path=URL, date_from="2026-01-01", date_to="2026-03-31", **extra):
    return client.get(path, {"from": date_from, "to": date_to, **extra})


def test_page_shows_the_tables(oblast_world, login_as):
    w = oblast_world
    response = _get(login_as(w.monitor_1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "ЦНАП А" in html and "ЦНАП В" in html and "ЦНАП Б" not in html
    assert f"/staff/reports/oblast/centers/{w.center_a.pk}/?from=2026-01-01&amp;to=2026-03-31" in html
    assert "format=xlsx" in html and "5/8" in html


def test_page_writes_decimals_with_a_comma_and_the_files_with_a_dot(oblast_world, login_as):
    client = login_as(oblast_world.monitor_1)
    html = _get(client).content.decode()
    assert '<td class="num">1,5</td>' in html and '<td class="num">33,3</td>' in html  # per 1,000; loyalty
    assert '<td class="num">2\xa0000</td>' in html  # residents
    assert "1.5<" not in html and "33.3<" not in html
    rows = list(csv.reader(io.StringIO(_get(client, format="csv").content.decode("utf-8-sig"))))
    (activity,) = [row for row in rows if row[:2] == ["ЦНАП А", "3"]]
    assert activity[1:4] == ["3", "2000", "1.5"] and activity[-1] == "33.3"


def test_page_without_dates_shows_this_quarter(oblast_world, login_as):
    assert login_as(oblast_world.head_a).get(URL).status_code == 200


def test_drilldown_page_links_to_the_center_report(oblast_world, login_as):
    w = oblast_world
    response = _get(login_as(w.head_a), f"/staff/reports/oblast/centers/{w.center_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ТП А-1" in html and "ВРМ А-1" in html
    assert f"/staff/reports/center/?center={w.center_a.pk}&amp;from=2026-01-01&amp;to=2026-03-31" in html


def test_page_scoping_and_bad_input(oblast_world, login_as):
    w = oblast_world
    client = login_as(w.monitor_1)
    assert _get(client, region=w.r2.pk).status_code == 404
    assert _get(client, f"/staff/reports/oblast/centers/{w.center_b.pk}/").status_code == 404
    inverted = _get(client, date_from="2026-03-31", date_to="2026-01-01")
    assert inverted.status_code == 400
    assert "Початок періоду пізніше за його кінець" in inverted.content.decode()
    assert _get(client, date_from="not-a-date").status_code == 400
    assert _get(client, region="abc").status_code == 400
    assert _get(client, f"/staff/reports/oblast/centers/{w.center_a.pk}/", date_to="").status_code == 400


def test_page_is_for_readers_only(oblast_world, login_as):
    assert _get(login_as(oblast_world.admin_a)).status_code == 404


def test_head_sees_only_the_own_center_on_the_page(oblast_world, login_as):
    w = oblast_world
    client = login_as(w.head_a)
    html = _get(client).content.decode()
    assert "ЦНАП А" in html and "ЦНАП В" not in html
    assert _get(client, f"/staff/reports/oblast/centers/{w.center_c.pk}/").status_code == 404


def test_the_total_row_is_the_oblast_total_only_when_every_center_is_shown(oblast_world, login_as):
    w = oblast_world
    for user in (w.monitor_1, w.sysadmin):
        client = login_as(user)
        html = _get(client).content.decode()
        assert "Усього по області" in html and "Усього по показаних ЦНАП" not in html
        client.logout()
    client = login_as(w.head_a)
    html = _get(client).content.decode()
    assert "Усього по показаних ЦНАП" in html and "Усього по області" not in html
    rows = list(csv.reader(io.StringIO(_get(client, format="csv").content.decode("utf-8-sig"))))
    assert [row[0] for row in rows if row and row[0].startswith("Усього")] == ["Усього по показаних ЦНАП"] * 3
    api = client.get(API, {"date_from": "2026-01-01", "date_to": "2026-03-31"}).json()
    assert api["total"]["name"] == "Усього по показаних ЦНАП"
    english = client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert english.status_code == 302
    assert "Total of the centers shown" in _get(client).content.decode()
    # A head whose center is the only one of its oblast sees the whole oblast.
    head_b = make_user("head_b", Role.CENTER_HEAD, center=w.center_b)
    assert oblast.oblast_dashboard(head_b, None, *PERIOD).total.name == gettext("Oblast total")


# --- exports --------------------------------------------------------------------------------------


def _rows(sheet_rows):
    return [row for row in sheet_rows if row and row[0]]


def test_xlsx_reads_back(oblast_world, login_as):
    response = _get(login_as(oblast_world.monitor_1), format="xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert f'filename="oblast-{oblast_world.r1.pk}-' in response["Content-Disposition"]  # not «oblast-oblast-…»
    rows = _rows(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    center_a = [row for row in rows if row[0] == "ЦНАП А"]
    assert len(center_a) == 3  # one row in each section
    network, listing, activity = center_a
    assert network[1:9] == (1, 1, 1, 1, 3, 2, 1, 3)
    assert listing[1] == 7 and listing[-1] == "5/8"
    assert activity[1:11] == (3, 2000, 1.5, 3, 11, 50, 25, 4, 75, 33.3)
    total = [row for row in rows if row[0] == gettext("Oblast total")]
    assert len(total) == 3 and total[2][1] == 4


def test_csv_and_pdf(oblast_world, login_as):
    w = oblast_world
    client = login_as(w.monitor_1)
    text = _get(client, format="csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["ЦНАП В", "1", "—", "—", "0", "—", "—", "—", "0", "—", "—"] in rows
    pdf = _get(client, format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "ЦНАП А" in extracted and "Вінницька" in extracted
    drill = _get(client, f"/staff/reports/oblast/centers/{w.center_a.pk}/", format="csv").content.decode("utf-8-sig")
    assert any(row and row[0] == "ТП А-1" for row in csv.reader(io.StringIO(drill)))


@pytest.mark.parametrize("kind", ["xlsx", "csv", "pdf"])
def test_an_empty_period_exports_a_well_formed_file(world, login_as, kind):
    response = _get(login_as(world.monitor_1), date_from="2020-01-01", date_to="2020-01-31", format=kind)
    assert response.status_code == 200
    if kind == "xlsx":
        rows = _rows(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert any(row[0] == gettext("Oblast total") for row in rows)
    elif kind == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [gettext("Oblast total"), "0", "—", "—", "0", "—", "—", "—", "0", "—", "—"] in rows
    else:
        assert response.content.startswith(b"%PDF")
        assert PdfReader(io.BytesIO(response.content)).pages


# --- the API --------------------------------------------------------------------------------------


def test_api(oblast_world, login_as):
    w = oblast_world
    client = login_as(w.monitor_1)
    data = client.get(API, {"date_from": "2026-01-01", "date_to": "2026-03-31"}).json()
    assert data["region_id"] == w.r1.pk and [line["name"] for line in data["lines"]] == ["ЦНАП А", "ЦНАП В"]
    a = data["lines"][0]
    assert a["access_points"] == {"main": 1, "branch": 1, "remote": 1, "mobile": 1}
    assert a["groups_covered"] == 5 and a["per_1000"] == 1.5 and a["service_level"] == 50.0
    assert data["total"]["cases_registered"] == 4
    assert data["basic_groups"]["social"] == ["SOC", "PEN"]

    drill = client.get(f"{API}/centers/{w.center_a.pk}", {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    assert drill.status_code == 200 and [line["kind"] for line in drill.json()["lines"]][:2] == ["main", "branch"]

    assert client.get(API, {"region": w.r2.pk, "date_from": "2026-01-01", "date_to": "2026-03-31"}).status_code == 404
    assert (
        client.get(f"{API}/centers/{w.center_b.pk}", {"date_from": "2026-01-01", "date_to": "2026-03-31"}).status_code
        == 404
    )
    bad = client.get(API, {"date_from": "2026-03-31", "date_to": "2026-01-01"})
    assert bad.status_code == 400 and bad.json()["code"] == "period_inverted"
    assert "Початок періоду" in bad.json()["message"]


def test_api_is_for_readers_only(oblast_world, login_as):
    client = login_as(oblast_world.admin_a)
    assert client.get(API, {"date_from": "2026-01-01", "date_to": "2026-03-31"}).status_code == 404
