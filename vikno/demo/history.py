"""Five weeks of casework for the demo centers, so that a newcomer's first look shows a working ЦНАП:
cases in every status, some overdue and some waiting to be collected, reports and search ranking with
figures in them.

Everything goes through the rooms' services — ``register_case``, ``transition``, ``attach_result`` —
with the moments of the past passed in (``filed_at``, ``at``), as a desk and a back office would have
made them. Who acts: the center's demo administrator at the front; the provider's demo officer at the
back, or a system actor named for the provider when the demo has no login for it. The audit log
records the load itself (its own time), the case histories show the backdated moments.

Random but repeatable (a fixed seed); a center that already has cases is left alone, so loading the
demo again changes nothing. Applicants give no consent to SMS or email: nothing is queued for
delivery by a demo load.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.ua import rntrc

from vikno.accounts.models import User
from vikno.cases import demand, workflow
from vikno.cases import services as cases
from vikno.cases.models import Case
from vikno.catalog import fees
from vikno.catalog.models import OfficeService, Service
from vikno.catalog.services import provider_links_for
from vikno.core.audit import Actor
from vikno.core.errors import DomainError
from vikno.core.scoping import Role
from vikno.orgs.models import Center

SEED = 2026
WEEKS = 5
# Applications a working day, by center.
PER_DAY = {"vinnytsia": 4, "zhmerynka": 2, "tulchyn": 2}
# What people come for most, with weights (a service the center does not offer is skipped).
ASKED_FOR = {
    "PAS-001": 9,
    "PAS-002": 8,
    "PAS-003": 10,
    "RMP-002": 5,
    "RMP-003": 4,
    "ACS-001": 6,
    "ACS-002": 3,
    "ACS-004": 2,
    "ACS-006": 3,
    "SOC-001": 3,
    "SOC-003": 4,
    "PEN-001": 2,
    "ZEM-001": 2,
    "NER-001": 2,
    "BUS-001": 2,
    "ARH-003": 1,
}
MEN = ["Олександр", "Андрій", "Микола", "Іван", "Сергій", "Дмитро", "Богдан", "Тарас", "Василь", "Юрій"]
WOMEN = ["Олена", "Наталія", "Оксана", "Ірина", "Марія", "Тетяна", "Світлана", "Галина", "Юлія", "Людмила"]
# (his surname, her surname)
SURNAMES = [
    ("Шевчук", "Шевчук"),
    ("Коваленко", "Коваленко"),
    ("Бондаренко", "Бондаренко"),
    ("Ткаченко", "Ткаченко"),
    ("Кравчук", "Кравчук"),
    ("Олійник", "Олійник"),
    ("Мельник", "Мельник"),
    ("Поліщук", "Поліщук"),
    ("Лисенко", "Лисенко"),
    ("Савчук", "Савчук"),
    ("Гнатюк", "Гнатюк"),
    ("Мазур", "Мазур"),
    ("Білоус", "Білоус"),
    ("Заїка", "Заїка"),
    ("Вовк", "Вовк"),
    ("Козловський", "Козловська"),
    ("Грищенко", "Грищенко"),
    ("Яковенко", "Яковенко"),
    ("Марчук", "Марчук"),
    ("Ковальчук", "Ковальчук"),
]
# Fathers' names with the patronymics they give (a son's, a daughter's).
FATHERS = [
    ("Іванович", "Іванівна"),
    ("Петрович", "Петрівна"),
    ("Михайлович", "Михайлівна"),
    ("Олександрович", "Олександрівна"),
    ("Васильович", "Василівна"),
    ("Григорович", "Григорівна"),
    ("Степанович", "Степанівна"),
    ("Анатолійович", "Анатоліївна"),
]
RESULT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Plan:
    """What happens to one application, as offsets from its filing."""

    outcome: str  # issued, refused, withdrawn
    clarification: bool
    decide_after: timedelta
    collect_after: timedelta


def load_history(report=None, *, today: date | None = None) -> int:
    """Cases for the working days of the last ``WEEKS`` weeks up to ``today``; returns how many."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    made = 0
    for slug, per_day in PER_DAY.items():
        center = Center.objects.filter(slug=slug).first()
        if center is None or Case.objects.filter(center=center).exists():
            continue
        made += _center_history(center, per_day, today, rng)
    if made:
        demand.refresh(today=today)
    if report is not None:
        report.add(f"Заяви за {WEEKS} тижнів: {made}")
    return made


def _center_history(center: Center, per_day: int, today: date, rng: random.Random) -> int:
    office = center.offices.get(kind="main")
    admin = User.objects.filter(role=Role.ADMINISTRATOR, center=center).order_by("pk").first()
    front = Actor(user=admin, office_id=office.pk, label="demo-history") if admin else Actor(label="demo-history")
    offered = set(
        OfficeService.objects.filter(office=office, service__current_version__instant=False).values_list(
            "service__code", flat=True
        )
    )
    decided_here = set(provider_links_for(center).values_list("service__code", flat=True))
    menu = [(code, weight) for code, weight in ASKED_FOR.items() if code in offered and code in decided_here]
    if not menu:
        return 0
    services = _services([code for code, _ in menu])
    people = [_applicant(center, front, rng) for _ in range(per_day * 12)]
    made = 0
    day = today - timedelta(weeks=WEEKS)
    while day <= today:
        if day.weekday() < 5:
            for n in range(per_day):
                moment = _at(day, 8 + rng.randrange(8), rng.randrange(60))
                if moment > timezone.now():
                    continue
                code = rng.choices([c for c, _ in menu], weights=[w for _, w in menu])[0]
                if _one_case(services[code], office, rng.choice(people), front, moment, rng, n):
                    made += 1
        day += timedelta(days=1)
    return made


def _services(codes: list[str]) -> dict:
    return {s.code: s for s in Service.objects.filter(code__in=codes).select_related("current_version")}


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_working(moment: datetime) -> datetime:
    """``moment`` if it falls in office hours (Monday–Friday 08:00–17:00, Kyiv), else the next opening
    plus as many minutes past the hour as it had: back offices and desks work by day."""
    local = timezone.localtime(moment)
    if local.hour < 8:
        local = local.replace(hour=8)
    elif local.hour >= 17:
        local = (local + timedelta(days=1)).replace(hour=8)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=8)
    return local


def _applicant(center: Center, actor: Actor, rng: random.Random):
    male = rng.random() < 0.47
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    surname = rng.choice(SURNAMES)[0 if male else 1]
    patronymic = rng.choice(FATHERS)[0 if male else 1]
    digits = (
        f"{(born - date(1899, 12, 31)).days:05d}{rng.randrange(1000):03d}{rng.choice('13579' if male else '02468')}"
    )
    return cases.create_applicant(
        center,
        {
            "kind": "person",
            "last_name": surname,
            "first_name": rng.choice(MEN if male else WOMEN),
            "patronymic": patronymic,
            "birth_date": born,
            "rnokpp": digits + rntrc.calc_check_digit(digits),
            "phone": f"+38067{rng.randrange(10**7):07d}",
        },
        actor=actor,
    )


def _plan(rng: random.Random, term_days: int) -> Plan:
    roll = rng.random()
    outcome = "withdrawn" if roll < 0.03 else "refused" if roll < 0.09 else "issued"
    calendar_term = round(term_days * 7 / 5)  # working days, roughly, in calendar days
    pace = rng.random()
    if pace < 0.1:  # decided after the term: the overdue list has something in it
        days = calendar_term + rng.randint(2, 8)
    elif pace < 0.35:  # on the last days of the term: the «due soon» lists have something in them
        days = max(1, calendar_term - rng.randint(0, 2))
    else:
        days = rng.randint(1, max(1, term_days - 1))
    return Plan(
        outcome=outcome,
        clarification=rng.random() < 0.07,
        decide_after=timedelta(days=days, hours=rng.randint(1, 5)),
        collect_after=timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 8, 21]), hours=rng.randint(1, 4)),
    )


def _back_actor(case: Case) -> Actor:
    officer = User.objects.filter(role=Role.OFFICER, provider_id=case.provider_id).order_by("pk").first()
    if officer is not None:
        return Actor(user=officer, label="demo-history")
    return Actor(label=f"demo-history: {case.provider}")


def _one_case(service, office, person, front: Actor, filed_at: datetime, rng: random.Random, n: int) -> bool:
    version = service.current_version
    if version is None:
        return False
    payment = None
    quote = fees.fee_for(version, filed_at.date())
    if quote.amount:
        payment = {
            "method": "pos",
            "amount": quote.amount,
            "receipt_number": f"D{filed_at:%y%m%d%H%M}{n}",
            "paid_on": timezone.localtime(filed_at).date(),
        }
    case = cases.register_case(
        office=office, service=service, applicant=person, actor=front, payment=payment, filed_at=filed_at
    )
    now = timezone.now()
    plan = _plan(rng, version.term_value if version.term_unit in ("working_days", "days") else 5)
    step = _next_working(filed_at + timedelta(hours=1))
    if step > now:
        return True
    if plan.outcome == "withdrawn" and rng.random() < 0.5:
        case = workflow.transition(case, "withdraw", actor=front, at=step, comment="Заявник відкликав заяву")
        return True
    try:
        case = workflow.transition(case, "send_to_provider", actor=front, at=step)
    except DomainError:  # several providers to choose from: the case waits at the desk for a person to choose
        return True

    back = _back_actor(case)
    step = _next_working(step + timedelta(hours=rng.randint(2, 20)))
    if step > now:
        return True
    case = workflow.transition(case, "take_into_work", actor=back, at=step)
    if plan.clarification:
        asked = _next_working(step + timedelta(hours=3))
        if asked > now:
            return True
        case = workflow.transition(
            case, "request_clarification", actor=back, at=asked, comment="Потрібна копія довідки з місця роботи."
        )
        step = _next_working(asked + timedelta(days=rng.randint(1, 4)))
        if step > now:
            return True
        case = workflow.transition(case, "resume", actor=back, at=step, comment="Довідку надано.")
    decided = _next_working(filed_at + plan.decide_after)
    if decided <= step:
        decided = _next_working(step + timedelta(hours=2))
    if decided > now:
        return True
    if plan.outcome == "withdrawn":
        case = workflow.transition(case, "withdraw", actor=front, at=decided, comment="Заявник відкликав заяву")
        return True
    refused = plan.outcome == "refused"
    cases.attach_result(
        case,
        SimpleUploadedFile("result.pdf", RESULT_PDF, content_type="application/pdf"),
        name="Рішення про відмову" if refused else "Результат послуги",
        is_refusal=refused,
        actor=back,
        at=max(decided - timedelta(minutes=rng.randint(5, 50)), decided.replace(hour=8, minute=0)),
    )
    if refused:
        case = workflow.transition(
            case,
            "refuse",
            actor=back,
            at=decided,
            reason="Подано неповний пакет документів.",
            legal_ground="Інформаційна картка послуги, підстави для відмови, п. 1",
        )
    else:
        case = workflow.transition(case, "mark_result_ready", actor=back, at=decided)
    collected = _next_working(decided + timedelta(days=1) + plan.collect_after)
    if collected > now:
        return True

    case = workflow.transition(
        case,
        "issue_refusal" if refused else "issue",
        actor=front,
        at=collected,
        identity_document=f"Паспорт громадянина України № {rng.randrange(10**9):09d}",
    )
    return True
