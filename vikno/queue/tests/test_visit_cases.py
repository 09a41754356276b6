"""A case registered from a called ticket (the console's «register a case» link) is recorded on the visit."""

import pytest

from vikno.cases.models import Case
from vikno.cases.signals import case_registered_in_visit
from vikno.cases.tests.core_factories import make_service, register
from vikno.core.audit import Actor
from vikno.queue import services

from .core_factories import at, issue, make_queue, make_workplace, open_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(world):
    open_workdays(world.office_a)
    queue = make_queue(world.office_a, "Р")
    window = make_workplace(world.office_a, "Вікно 1", queue)
    services.open_session(window, world.admin_a, now=at(9))
    issue(queue)
    return services.call_next(window, world.admin_a, now=at(10))


def test_the_case_is_linked_to_the_ticket_of_the_visit(world, called):
    case = register(world, make_service())
    case_registered_in_visit.send(sender=Case, case=case, ticket_id=called.pk, actor=Actor(user=world.admin_a))
    assert list(called.cases.all()) == [case]


def test_a_ticket_of_another_center_is_ignored_and_registration_stands(world, called):
    case_b = register(world, make_service(), office=world.office_b)
    case_registered_in_visit.send(sender=Case, case=case_b, ticket_id=called.pk, actor=Actor(user=world.admin_b))
    assert not called.cases.exists()
    assert Case.objects.filter(pk=case_b.pk).exists()


def test_the_intake_page_carries_the_ticket_through_its_forms(world, called, login_as):
    service = make_service()
    client = login_as(world.admin_a)
    page = client.get(f"/staff/cases/new/?service={service.code}&ticket={called.pk}").content.decode()
    assert f'name="ticket" value="{called.pk}"' in page
