"""Demo monitoring: the default self-assessment questionnaire, a set of indicators, and one submitted
assessment (with computed indicators) for the first demo center. Running it again changes nothing.

The questionnaire text is data (Ukrainian); in production it is edited in the Django admin.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from vikno.core.audit import Actor
from vikno.core.i18n import in_ukrainian
from vikno.orgs.models import Center

from . import services
from .models import Choice, Indicator, PeriodKind, Question, Questionnaire, Section

CODE = "cnap-self-assessment"
ACTOR = Actor(label="demo-monitoring")

ACCESS_CHOICES = [("Повний доступ (внесення і перегляд відомостей)", 2), ("Лише перегляд, витяги", 1), ("Доступу немає", 0)]  # fmt: skip

# (kind, title, weight, [(code, kind, text, help, weight, max_points, extra)])
SECTIONS = [
    ("accessibility", "Доступність приміщення (чек-лист)", Decimal(1), [
        ("ramp", "yes_no", "Пандус або вхід без сходів до приміщення ЦНАП", "Ухил пандуса не більше 8 %, поручні з обох боків.", 2, 1, {}),
        ("toilet", "yes_no", "Облаштована вбиральня для осіб з інвалідністю", "", 2, 1, {}),
        ("tactile", "yes_no", "Тактильні покажчики та написи шрифтом Брайля", "", 1, 1, {}),
        ("hearing_loop", "yes_no", "Індукційна петля для людей з порушеннями слуху", "", 1, 1, {}),
        ("parking", "yes_no", "Місця для паркування транспорту осіб з інвалідністю", "Позначені місця не далі 50 м від входу.", 1, 1, {}),
        ("waiting_area", "yes_no", "Зона очікування з достатньою кількістю місць для сидіння", "", 1, 1, {}),
        ("children_room", "yes_no", "Дитячий куточок або кімната матері й дитини", "", 1, 1, {}),
    ]),
    ("registers", "Доступ до державних реєстрів", Decimal(1), [
        ("reg_dracs", "choice", "Державний реєстр актів цивільного стану громадян (ДРАЦС)", "", 1, 2, {}),
        ("reg_dms", "choice", "Єдиний державний демографічний реєстр (ДМС)", "", 1, 2, {}),
        ("reg_drrp", "choice", "Державний реєстр речових прав на нерухоме майно (ДРРП)", "", 1, 2, {}),
        ("reg_edr", "choice", "Єдиний державний реєстр юридичних осіб, ФОП та громадських формувань (ЄДР)", "", 1, 2, {}),
        ("reg_dzk", "choice", "Державний земельний кадастр (ДЗК)", "", 1, 2, {}),
        ("reg_community", "choice", "Реєстр територіальної громади", "", 1, 2, {}),
    ]),
    ("staff", "Персонал", Decimal(1), [
        ("administrators", "number", "Кількість адміністраторів ЦНАП (зайняті посади)", "Усі офіси, ТП і ВРМ разом.", 1, 2,
         {"min_value": 0, "max_value": 500, "scale_zero": 0, "scale_full": 10, "unit": "осіб"}),
        ("trained_share", "number", "Частка адміністраторів, які пройшли навчання за останні 12 місяців", "", 1, 2,
         {"min_value": 0, "max_value": 100, "scale_zero": 0, "scale_full": 100, "unit": "%"}),
        ("vacancies", "number", "Кількість вакантних посад адміністраторів", "Нуль вакансій — найкращий результат.", 1, 1,
         {"min_value": 0, "max_value": 100, "scale_zero": 5, "scale_full": 0, "unit": "посад"}),
    ]),
    ("service_list", "Повнота переліку послуг", Decimal(1), [
        ("basic_share", "number", "Частка базових послуг, включених до затвердженого переліку", "Базові послуги — визначені Кабінетом Міністрів України обов'язковими для ЦНАП.", 1, 3,
         {"min_value": 0, "max_value": 100, "scale_zero": 0, "scale_full": 100, "unit": "%"}),
        ("list_published", "yes_no", "Перелік послуг оприлюднено на вебсайті та в приміщенні ЦНАП", "", 1, 1, {}),
    ]),
]  # fmt: skip

# (code, name, unit, direction, target, threshold, weight, method, function, extra)
INDICATORS = [
    ("refused_share", "Частка відмов", "%", "lower", 2, 10, 1, "computed", "refused_share", {}),
    ("visitors_per_day", "Відвідувачів за день з прийомом", "осіб", "higher", 50, 5, 1, "computed", "visitors_per_day", {}),
    ("satisfied_share", "Задоволені відвідувачі (4–5 зірок)", "%", "higher", 95, 70, 2, "computed", "satisfied_share", {}),
    ("loyalty_index", "Індекс лояльності (NPS)", "", "higher", 70, 0, 1, "computed", "loyalty_index", {}),
    ("service_list_share", "Частка послуг каталогу в переліку", "%", "higher", 80, 30, 2, "computed", "service_list_share", {}),
    ("access_points", "Точки доступу (офіси, ТП, ВРМ, мобільні)", "", "higher", 5, 1, 1, "computed", "access_points", {}),
    ("cases_per_1000", "Заяв на 1 000 мешканців", "", "higher", 300, 50, 1, "computed", "cases_per_1000", {}),
    ("wait_minutes", "Середній час очікування в черзі", "хв", "lower", 10, 40, 1, "manual", "",
     {"min_value": 0, "max_value": 600}),
]  # fmt: skip

# Answers of the demo assessment (question code → form value; choices by their position, from 1).
DEMO_ANSWERS = {
    "ramp": "yes", "toilet": "yes", "tactile": "no", "hearing_loop": "no", "parking": "yes",
    "waiting_area": "yes", "children_room": "yes",
    "reg_dracs": 1, "reg_dms": 1, "reg_drrp": 1, "reg_edr": 1, "reg_dzk": 2, "reg_community": 1,
    "administrators": "14", "trained_share": "85", "vacancies": "1",
    "basic_share": "92", "list_published": "yes",
}  # fmt: skip


def create_questionnaire() -> Questionnaire:
    found = Questionnaire.objects.filter(code=CODE).order_by("-version").first()
    if found is not None:
        return found
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            code=CODE,
            version=1,
            title="Самооцінювання ЦНАП",
            description="Щоквартальне самооцінювання: доступність, доступ до реєстрів, персонал, перелік послуг.",
            period_kind=PeriodKind.QUARTER,
        )
        for s_pos, (kind, title, weight, questions) in enumerate(SECTIONS, 1):
            section = Section.objects.create(
                questionnaire=questionnaire, kind=kind, title=title, position=s_pos, weight=weight
            )
            for q_pos, (code, q_kind, text, help_text, q_weight, max_points, extra) in enumerate(questions, 1):
                question = Question.objects.create(
                    section=section,
                    code=code,
                    kind=q_kind,
                    text=text,
                    help_text=help_text,
                    weight=q_weight,
                    max_points=max_points,
                    position=q_pos,
                    **extra,
                )
                if q_kind == Question.Kind.CHOICE:
                    for c_pos, (label, points) in enumerate(ACCESS_CHOICES, 1):
                        Choice.objects.create(question=question, label=label, points=points, position=c_pos)
    return questionnaire


def create_indicators() -> int:
    created = 0
    for position, (code, name, unit, direction, target, threshold, weight, method, function, extra) in enumerate(
        INDICATORS, 1
    ):
        _, made = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "direction": direction,
                "target": target,
                "threshold": threshold,
                "weight": weight,
                "method": method,
                "function": function,
                "position": position,
                "description": in_ukrainian(services.REGISTRY[function].label) if function else "",
                **extra,
            },
        )
        created += made
    return created


def demo_form(questionnaire: Questionnaire) -> dict[str, str]:
    values = {}
    for section in services.questions_of(questionnaire):
        for question in section.questions.all():
            answer = DEMO_ANSWERS.get(question.code)
            if answer is None:
                continue
            if question.kind == Question.Kind.CHOICE:
                answer = str(list(question.choices.all())[int(answer) - 1].pk)
            values[services.field_name(question)] = str(answer)
    return values


def setup_demo_monitoring(report=None, *, center_slug: str | None = None, head=None) -> None:
    """Questionnaire, indicators, and for the demo center (the first one, or ``center_slug``) a submitted
    self-assessment for the previous quarter and its computed indicators."""
    from vikno.accounts.models import User

    questionnaire = create_questionnaire()
    created = create_indicators()
    center = Center.objects.filter(slug=center_slug).first() if center_slug else Center.objects.order_by("pk").first()
    if center is None:
        return
    head = head or User.objects.filter(center=center, role="center_head", is_active=True).order_by("pk").first()
    period = services.previous_period(services.period_containing(questionnaire.period_kind, services.today()))
    if head is not None and services.find_assessment(center, questionnaire, period) is None:
        actor = Actor(user=head, label="demo-monitoring")
        services.save_answers(center, questionnaire, period, demo_form(questionnaire), actor=actor, submit=True)
        services.compute_indicators(center, period, actor=ACTOR)
    if report is not None:
        report.add(f"Моніторинг: опитувальник «{questionnaire.title}», нових показників: {created}")
