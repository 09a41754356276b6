"""The staff workplace: its counts (cases.services.workload, workload_by_center, queue waiting_by_office),
scoped to the user, and the page for each role with links to the lists that hold each count."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from vikno.cases import services as cases
from vikno.cases.models import Consultation, Status
from vikno.cases.tests.deadline_factories import kyiv, make_case
from vikno.queue import services as queue
from vikno.queue.tests.core_factories import issue, make_queue, open_always

NOW = kyiv(2025, 9, 8, 10)  # Monday


@pytest.fixture
def spread(world, settings):
    """One case per situation in center A (several for the provider A), one overdue case in center B."""
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    mine = {"provider": world.provider_a}

    def day_end(*ymd):
        return kyiv(*ymd, 23, 59, 59)

    made = {
        "due_today": make_case(world, due_at=day_end(2025, 9, 8), **mine),
        "overdue": make_case(world, due_at=day_end(2025, 9, 5), escalated_at=NOW - timedelta(days=1), **mine),
        "due_soon": make_case(world, due_at=day_end(2025, 9, 10), status=Status.SENT_TO_PROVIDER, **mine),
        "suspended": make_case(
            world, due_at=day_end(2025, 9, 1), status=Status.NEEDS_CLARIFICATION, suspended_since=NOW, **mine
        ),
        "online": make_case(world, due_at=day_end(2025, 10, 1), status=Status.SUBMITTED_ONLINE, channel="online"),
        "accepted": make_case(
            world,
            due_at=day_end(2025, 10, 1),
            status=Status.ACCEPTED,
            filed_at=NOW - timedelta(hours=1),
            created_by_id=world.admin_a.pk,
        ),
        "uncollected": make_case(world, status=Status.RESULT_READY, result_ready_at=NOW - timedelta(days=15)),
        "refused": make_case(world, status=Status.REFUSED, result_ready_at=NOW - timedelta(days=1)),
        "issued": make_case(world, status=Status.ISSUED, closed_at=NOW - timedelta(hours=2)),
        "other_center": make_case(world, center=world.center_b, due_at=day_end(2025, 9, 1)),
    }
    Consultation.objects.create(
        center=world.center_a,
        region_id=world.center_a.region_id,
        office=world.office_a,
        topic="Субсидія",
        at=NOW - timedelta(minutes=30),
        by_id=world.admin_a.pk,
    )
    return made


def test_front_office_counts_cover_its_center_only(world, spread):
    counts = cases.workload(world.admin_a, NOW)

    assert counts == {
        "online_to_accept": 1,
        "to_send": 1,
        "with_provider": 1,
        "in_progress": 2,
        "clarification": 1,
        "to_hand_out": 2,
        "uncollected": 1,
        "due_today": 1,
        "due_soon": 2,  # due today and due on Wednesday (the second working day)
        "overdue": 1,  # the suspended case's term is not running; center B's case is not ours
        "escalated": 1,
        "registered_today": 1,
        "registered_by_me": 1,
        "issued_today": 1,
        "consulted_today": 1,
        "consulted_by_me": 1,
    }
    assert cases.workload(world.head_a, NOW)["registered_by_me"] == 0


def test_officer_counts_cover_the_provider_only(world, spread):
    counts = cases.workload(world.officer_a, NOW)

    assert (counts["with_provider"], counts["in_progress"], counts["clarification"]) == (1, 2, 1)
    assert (counts["due_today"], counts["overdue"], counts["to_hand_out"]) == (1, 1, 0)
    assert counts["consulted_today"] == 0  # consultations belong to centers


def test_centers_by_overdue_for_the_oblast_and_the_country(world, spread):
    everywhere = cases.workload_by_center(world.sysadmin, NOW)
    assert [row["center"] for row in everywhere] == ["ЦНАП А", "ЦНАП Б"]  # tied on overdue; A has one uncollected
    assert {k: everywhere[0][k] for k in ("overdue", "due_today", "to_hand_out", "uncollected")} == {
        "overdue": 1,
        "due_today": 1,
        "to_hand_out": 2,
        "uncollected": 1,
    }
    assert [row["center"] for row in cases.workload_by_center(world.monitor_1, NOW)] == ["ЦНАП А"]


def test_waiting_visitors_per_office(world):
    open_always(world.office_a)
    open_always(world.remote_a)
    first, second = make_queue(world.office_a, "А"), make_queue(world.remote_a, "В")
    today = timezone.localtime(timezone.now())
    for _ in range(2):
        issue(first, now=today)
    called = issue(second, now=today)
    called.status = "done"
    called.save(update_fields=["status"])

    waiting = queue.waiting_by_office([world.office_a.pk, world.remote_a.pk, world.office_b.pk])

    assert waiting == {world.office_a.pk: 2}


def _page(client) -> str:
    response = client.get("/staff/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_administrator_page_links_each_count_to_its_list(world, login_as, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    now = timezone.now()
    make_case(world, status=Status.RESULT_READY, result_ready_at=now - timedelta(days=20))
    make_case(world, status=Status.IN_PROGRESS, due_at=now - timedelta(days=2))

    page = _page(login_as(world.admin_a))

    assert 'href="/staff/cases/inbox/?uncollected=1" class="alert"' in page
    assert "/staff/cases/inbox/?status=result_ready&status=refused" in page
    assert 'href="/staff/cases/?tab=overdue" class="alert"' in page
    assert 'id="workplace-q"' in page and 'action="/staff/cases/consultation/"' in page
    assert "ЦНАП А, головний офіс" in page  # the queue table lists the administrator's office
    assert "workplace-centers" not in page


def test_officer_page_shows_the_provider_inbox(world, login_as):
    page = _page(login_as(world.officer_a))

    assert "/staff/cases/inbox/?status=sent_to_provider" in page
    assert "/staff/cases/inbox/?status=in_progress" in page
    assert 'id="workplace-q"' not in page  # no front-desk search, intake or consultation form
    assert "/staff/cases/consultation/" not in page and "/staff/cases/new/" not in page


def test_oblast_page_lists_the_centers(world, login_as):
    make_case(world, status=Status.IN_PROGRESS, due_at=timezone.now() - timedelta(days=1))

    page = _page(login_as(world.monitor_1))

    assert 'id="workplace-centers"' in page and "ЦНАП А" in page
    assert "ЦНАП Б" not in page


def test_inbox_narrowed_by_status_and_to_uncollected(world, login_as, settings):
    settings.UNCOLLECTED_REMINDER_DAYS = 14
    now = timezone.now()
    old = make_case(world, status=Status.RESULT_READY, result_ready_at=now - timedelta(days=20))
    fresh = make_case(world, status=Status.REFUSED, result_ready_at=now - timedelta(days=1))
    online = make_case(world, status=Status.SUBMITTED_ONLINE, channel="online", due_at=now + timedelta(days=9))
    client = login_as(world.admin_a)

    def listed(**query) -> set[str]:
        body = client.get("/staff/cases/inbox/", query).content.decode()
        return {case.number for case in (old, fresh, online) if case.number in body}

    assert listed() == {old.number, fresh.number, online.number}
    assert listed(status=["result_ready", "refused"]) == {old.number, fresh.number}
    assert listed(status="submitted_online") == {online.number}
    assert listed(uncollected="1") == {old.number}
    assert listed(status="issued") == {old.number, fresh.number, online.number}  # not an inbox status: ignored
    assert "Показати всі звернення" in client.get("/staff/cases/inbox/", {"uncollected": "1"}).content.decode()
