"""KPIs from hand-made visit events, checked against figures worked out by hand (in the comments)."""

from datetime import timedelta

import pytest

from vikno.core.errors import DomainError
from vikno.queue import kpi, services
from vikno.queue.models import OperatorSession, Rating
from vikno.queue.tests.booking_world import MONDAY, SYSTEM, event, hand_ticket, kyiv, open_office

TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def visits(world):
    office = world.office_a
    open_office(office)
    r = services.create_queue(office, name="Реєстрація", prefix="Р", target_wait_minutes=10, actor=SYSTEM)
    d = services.create_queue(office, name="Довідки", prefix="Д", target_wait_minutes=15, actor=SYSTEM)
    w1 = services.create_workplace(office, name="Вікно 1", queues=[r, d], actor=SYSTEM)
    w2 = services.create_workplace(office, name="Вікно 2", queues=[d], actor=SYSTEM)

    def visit(queue, number, issued, called=None, started=None, finished=None, workplace=None, end="finished"):
        ticket = hand_ticket(queue, issued, number=number, workplace=workplace)
        event(ticket, "issued", issued)
        if called:
            event(ticket, "called", called, workplace)
        if started:
            event(ticket, "started", started, workplace)
        if finished:
            event(ticket, end, finished, workplace)
        return ticket

    m = lambda h, mi=0: kyiv(MONDAY, h, mi)  # noqa: E731
    t1 = visit(r, 1, m(9), m(9, 6), m(9, 7), m(9, 17), w1)  # wait 6, service 10
    visit(r, 2, m(9, 30), m(9, 45), m(9, 46), m(10, 1), w1)  # wait 15 (over 10), service 15
    t3 = visit(r, 3, m(10, 10), m(10, 14), workplace=w1)  # wait 4, then no-show
    event(t3, "no_show", m(10, 20), w1)
    t4 = visit(r, 4, m(10, 20))  # left after 20 minutes without a call: a miss
    event(t4, "cancelled", m(10, 40))
    visit(d, 1, m(9, 10), m(9, 20), m(9, 21), m(9, 41), w2)  # wait 10, service 20
    visit(r, 5, kyiv(TUESDAY, 14), kyiv(TUESDAY, 14, 2), kyiv(TUESDAY, 14, 3), kyiv(TUESDAY, 14, 8), w1)  # 2, 5
    # Not counted: a ticket of the other center, and one issued on Wednesday.
    b = services.create_queue(world.office_b, name="Інша", prefix="Р", actor=SYSTEM)
    visit(b, 1, m(9), m(9, 50))
    visit(r, 6, kyiv(MONDAY + timedelta(days=2), 9), kyiv(MONDAY + timedelta(days=2), 10))
    # Sessions: window 1 open 09:00–13:00 Monday and 14:00–15:00 Tuesday (5 h); window 2 09:00–10:00 (1 h).
    for place, opened, closed in ((w1, m(9), m(13)), (w1, kyiv(TUESDAY, 14), kyiv(TUESDAY, 15)), (w2, m(9), m(10))):
        OperatorSession.objects.create(workplace=place, user=world.admin_a, opened_at=opened, closed_at=closed)
    for stars, recommend in ((5, 10), (4, 9), (3, 7), (2, 3), (5, None)):
        Rating.objects.create(
            ticket=None, center=world.center_a, region=world.r1, office=office, workplace=w1,
            stars=stars, recommend=recommend, created_at=m(12),
        )  # fmt: skip
    return t1


def test_figures_for_a_center_head(world, visits):
    report = kpi.report(world.head_a, date_from=MONDAY, date_to=TUESDAY, now=kyiv(TUESDAY + timedelta(days=7), 9))
    total = report.total.as_dict()
    # 6 tickets; waits 6+15+4+10+2 = 37 over 5 calls; services 10, 15, 20, 5; one no-show in six.
    assert total == {
        "tickets": 6,
        "called": 5,
        "no_shows": 1,
        "average_wait_minutes": 7.4,
        "average_service_minutes": 12.5,
        "no_show_share": 0.1667,
    }
    registration, certificates = report.queues[1], report.queues[0]
    assert (certificates.name, registration.name) == ("Довідки", "Реєстрація")
    # Реєстрація: 3 of 5 (4 called + 1 left after the target) within 10 minutes = 0.6 < 0.80.
    assert registration.as_dict() | {} == {
        "queue_id": registration.queue_id,
        "name": "Реєстрація",
        "tickets": 5,
        "called": 4,
        "no_shows": 1,
        "average_wait_minutes": 6.75,
        "average_service_minutes": 10.0,
        "no_show_share": 0.2,
        "target_wait_minutes": 10,
        "target_share": 0.8,
        "service_level": 0.6,
        "meets_target": False,
    }
    assert (certificates.service_level, certificates.meets_target) == (1.0, True)
    days = {d: f.as_dict() for d, f in report.days}
    assert (days[MONDAY]["tickets"], days[MONDAY]["average_wait_minutes"]) == (5, 8.75)
    assert (days[TUESDAY]["tickets"], days[TUESDAY]["average_wait_minutes"]) == (1, 2.0)
    hours = {h: f.as_dict() for h, f in report.hours}
    assert sorted(hours) == [9, 10, 14]
    assert (hours[9]["tickets"], hours[9]["average_wait_minutes"]) == (3, 10.33)
    assert (hours[10]["tickets"], hours[10]["called"], hours[10]["average_wait_minutes"]) == (2, 1, 4.0)
    places = {w.name: w.as_dict() for w in report.workplaces}
    # Window 1 served 10+15+5 = 30 minutes of 300 open; window 2 served 20 of 60.
    assert places["Вікно 1"]["utilisation"] == 0.1 and places["Вікно 1"]["open_hours"] == 5.0
    assert places["Вікно 2"]["utilisation"] == 0.3333
    # Ratings: average of 5, 4, 3, 2, 5; loyalty among four answers: (2 promoters − 1 detractor) / 4.
    assert report.ratings == {"count": 5, "average_stars": 3.8, "loyalty_index": 25.0}


def test_one_day_one_office_and_scope(world, visits):
    monday = kpi.report(world.sysadmin, date_from=MONDAY, date_to=MONDAY, office_id=world.office_a.pk)
    assert monday.total.tickets == 5
    everything = kpi.report(world.sysadmin, date_from=MONDAY, date_to=MONDAY)
    assert everything.total.tickets == 6  # the other center's ticket too
    assert kpi.report(world.monitor_1, date_from=MONDAY, date_to=MONDAY).total.tickets == 5
    with pytest.raises(DomainError) as outside:
        kpi.report(world.head_a, date_from=MONDAY, date_to=MONDAY, office_id=world.office_b.pk)
    assert outside.value.status == 404
    with pytest.raises(DomainError) as role:
        kpi.report(world.admin_a, date_from=MONDAY, date_to=MONDAY)
    assert role.value.status == 404
    with pytest.raises(DomainError) as backwards:
        kpi.report(world.head_a, date_from=TUESDAY, date_to=MONDAY)
    assert backwards.value.code == "invalid_period"


def test_an_empty_period_has_no_figures(world):
    report = kpi.report(world.head_a, date_from=MONDAY, date_to=MONDAY)
    assert report.total.as_dict()["average_wait_minutes"] is None
    assert report.queues == [] and report.workplaces == [] and report.ratings["loyalty_index"] is None


def test_a_service_in_progress_counts_up_to_now(world):
    """A window serving someone right now is not idle: the open interval counts as serving time up to
    ``now`` (utilisation), while the average service time still counts finished services only."""
    office = world.office_a
    open_office(office)
    queue = services.create_queue(office, name="Реєстрація", prefix="Р", actor=SYSTEM)
    place = services.create_workplace(office, name="Вікно 1", queues=[queue], actor=SYSTEM)
    m = lambda h, mi=0: kyiv(MONDAY, h, mi)  # noqa: E731
    OperatorSession.objects.create(workplace=place, user=world.admin_a, opened_at=m(11), closed_at=None)
    serving = hand_ticket(queue, m(10, 50), number=1, workplace=place, status="serving")
    for kind, at in (("issued", m(10, 50)), ("called", m(10, 58)), ("started", m(11))):
        event(serving, kind, at, place)
    # A ticket whose end event got lost (status «done»): its open interval is not counted.
    lost = hand_ticket(queue, m(10, 40), number=2, workplace=place, status="done")
    for kind, at in (("issued", m(10, 40)), ("called", m(10, 45)), ("started", m(10, 46))):
        event(lost, kind, at, place)

    report = kpi.report(world.head_a, date_from=MONDAY, date_to=MONDAY, now=m(11, 30))
    (line,) = report.workplaces
    assert line.as_dict() | {"workplace_id": 0} == {
        "workplace_id": 0,
        "name": "Вікно 1",
        "open_hours": 0.5,
        "serving_hours": 0.5,
        "utilisation": 1.0,
    }
    assert report.total.services == 0 and report.total.average_service_minutes is None
    # Half an hour later, the same visitor still at the window: an hour of an hour.
    later = kpi.report(world.head_a, date_from=MONDAY, date_to=MONDAY, now=m(12))
    assert (later.workplaces[0].serving_seconds, later.workplaces[0].open_seconds) == (3600, 3600)
