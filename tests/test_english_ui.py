"""A staff member who chose English sees the labels of the staff pages in English: statuses, channels,
action buttons, the history of a case, the fee, the queue. Data (names of applicants and centers)
stays as entered; services, spheres and life situations show their English names where the catalog
has them (tests/test_english_catalog_names.py). Printed documents, messages to applicants and the API stay Ukrainian."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from vikno.cases import services as cases
from vikno.cases import workflow
from vikno.cases.models import Applicant, Case, CaseTask, Channel, Consultation, Status
from vikno.cases.tests.core_factories import make_service, register
from vikno.catalog.models import FeeRule, LifeSituation, ServiceVersion, TechStep
from vikno.core.audit import Actor
from vikno.core.scoping import Role
from vikno.monitoring import models as monitoring
from vikno.notify import models as notify
from vikno.orgs.models import Office, Provider, Region, ScheduleException, Settlement
from vikno.payments.models import Payment
from vikno.portal.models import Complaint, Question
from vikno.queue.models import Booking, PriorityCategory, Rating, Ticket, VisitEvent
from vikno.queue.tests.live_setup import queue_world

CONVERTED = [
    Status,
    Channel,
    Applicant.Kind,
    CaseTask.State,
    Consultation.Channel,
    ServiceVersion.TermUnit,
    LifeSituation.Kind,
    FeeRule.Base,
    FeeRule.Rounding,
    ServiceVersion.FeeKind,
    ServiceVersion.ProviderLevel,
    TechStep.ActionType,
    TechStep.Role,
    Role,
    monitoring.PeriodKind,
    monitoring.AssessmentStatus,
    monitoring.Indicator.Direction,
    monitoring.Indicator.Method,
    monitoring.IndicatorValue.Source,
    monitoring.Section.Kind,
    monitoring.Question.Kind,
    notify.Event,
    notify.Status,
    Office.Kind,
    Provider.Kind,
    Region.Category,
    Settlement.Category,
    ScheduleException.Kind,
    Payment.Method,
    PriorityCategory,
    Ticket.Status,
    Ticket.Source,
    VisitEvent.Kind,
    Booking.Status,
    Rating.Channel,
    Question.ReplyChannel,
    Complaint.State,
]
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _labels(enum, language: str) -> list[str]:
    with translation.override(language):
        return [str(choice.label) for choice in enum]


@pytest.mark.parametrize("enum", CONVERTED, ids=lambda enum: enum.__qualname__)
def test_every_label_of_the_converted_choices_has_both_languages(enum):
    pairs = [(uk, en) for uk, en in zip(_labels(enum, "uk"), _labels(enum, "en"), strict=True) if uk != "SMS"]
    assert pairs
    for uk, en in pairs:
        assert CYRILLIC.search(uk), f"{enum.__qualname__}: {uk!r} is not Ukrainian"
        assert uk != en and not CYRILLIC.search(en), f"{enum.__qualname__}: {en!r} is not English"


def test_labels_keep_their_former_ukrainian_wording():
    with translation.override("uk"):
        assert Status.ACCEPTED.label == "Прийнято" and Status.REFUSED.label == "Відмова"
        assert Channel.MAIN.label == "Головний офіс ЦНАП"
        assert notify.Event.REFUSED.label == "Відмова" and Ticket.Status.WAITING.label == "Очікує"
        assert workflow.ACTIONS["accept"].label == "прийняти онлайн-заяву"
        assert workflow.ACTIONS["refuse"].event_label == "Відмова"
        assert str(Settlement(category="C", name="Калинівка")) == "село Калинівка"
    with translation.override("en"):
        assert Status.ACCEPTED.label == "Accepted" and Channel.MAIN.label == "Main office of the center"
        assert str(Settlement(category="C", name="Калинівка")) == "село Калинівка"  # a name, not a label


# Ukrainian labels the English pages must not show (all of them converted to translatable strings).
UKRAINIAN_LABELS = [
    "Прийнято",
    "Головний офіс ЦНАП",
    "Заяву зареєстровано",
    "Передати справу до СНАП",
    "Відкликати заяву",
    "Залишити заяву без розгляду",
    "Фізична особа",
    "Безоплатно",
    " грн",
    "Очікує",
    "Виконується",
    "Адміністратор ЦНАП",
]


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/cases/"})
    assert response.status_code == 302
    return client


def _assert_english(page: str):
    assert '<html lang="en">' in page
    shown = [label for label in UKRAINIAN_LABELS if label in page]
    assert not shown, f"Ukrainian labels on an English page: {shown}"


@pytest.fixture
def case(world):
    return register(world, make_service(fee="1147.00", providers=[world.provider_a]))


@pytest.mark.django_db
def test_staff_case_pages_speak_english(world, login_as, case):
    client = _english(login_as(world.admin_a))

    listing = client.get("/staff/cases/", {"tab": "all"}).content.decode()
    _assert_english(listing)
    assert case.number in listing and "Accepted" in listing

    page = client.get(f"/staff/cases/{case.number}/").content.decode()
    _assert_english(page)
    assert "Accepted" in page and "Main office of the center" in page
    assert "Application registered" in page  # the history
    assert "Send the case to the provider" in page and "Withdraw the application" in page  # the buttons
    assert "1,147.00 UAH" in page or "Not paid" in page or "1147" in page

    refused = client.post(f"/staff/cases/{case.number}/action/", {"send_to_provider-action": "send_to_provider"})
    assert refused.status_code == 409  # the fee is not paid
    message = refused.content.decode()
    assert "Cannot send case No. " in message and "1,147.00 UAH" in message and "не сплачено" not in message

    intake = client.get("/staff/cases/new/", {"service": case.service.code}).content.decode()
    _assert_english(intake)
    assert "1,147.00 UAH" in intake


@pytest.mark.django_db
def test_the_queue_console_speaks_english(world, login_as):
    q = queue_world(world)
    staff = _english(login_as(world.admin_a))
    staff.post(f"/queue/kiosk/{q.office.pk}/", {"queue": q.registration.pk, "priority": "veteran"})
    action = f"/queue/console/{q.window.pk}/action/"
    staff.post(action, {"action": "open"})
    staff.post(action, {"action": "call"})
    page = staff.get(f"/queue/console/{q.window.pk}/").content.decode()
    _assert_english(page)
    assert "Р-001" in page  # the ticket: data
    assert "Called" in page and "Veteran or defender" in page
    assert "Запрошено" not in page and "Ветеран" not in page


@pytest.mark.django_db
def test_documents_messages_and_the_api_stay_ukrainian_for_an_english_user(world, login_as, case):
    client = _english(login_as(world.admin_a))
    with translation.override("en"):
        cases.record_payment(
            case, method="pos", amount="1147.00", receipt_number="R-1", actor=Actor(user=world.admin_a)
        )
        event = case.events.get(action="payment_recorded")
        assert event.comment == "POS-термінал"  # stored in the history as entered: Ukrainian
        moved = cases.transition(case, "withdraw", actor=Actor(user=world.admin_a))
    assert moved.status == Status.WITHDRAWN

    api = client.get(f"/api/v1/cases/{case.number}", HTTP_ACCEPT_LANGUAGE="en")  # and the cookie says en
    assert api.status_code == 200, api.content
    assert api.json()["status_label"] == "Відкликано заявником"

    other = register(world, make_service(providers=[world.provider_a]))
    with translation.override("en"):
        workflow.notify("accepted", Case.objects.get(pk=other.pk), actor=Actor(user=world.admin_a))
    for row in notify.Notification.objects.filter(case_id=other.pk):
        assert "Accepted" not in row.body and CYRILLIC.search(row.body)
