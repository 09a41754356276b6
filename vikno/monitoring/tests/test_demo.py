"""The demo questionnaire, indicators and one submitted assessment; running twice changes nothing."""

from __future__ import annotations

from vikno.monitoring import demo, services
from vikno.monitoring.models import Assessment, Indicator, Question, Questionnaire


def test_demo_monitoring(world):
    demo.setup_demo_monitoring(center_slug=world.center_a.slug)
    questionnaire = Questionnaire.objects.get(code=demo.CODE)
    kinds = list(questionnaire.sections.values_list("kind", flat=True))
    assert kinds == ["accessibility", "registers", "staff", "service_list"]
    codes = set(Question.objects.filter(section__questionnaire=questionnaire).values_list("code", flat=True))
    assert {"ramp", "hearing_loop", "children_room", "reg_dracs", "reg_community", "vacancies", "basic_share"} <= codes
    assessment = Assessment.objects.get()
    assert assessment.center == world.center_a and assessment.status == "submitted"
    assert assessment.submitted_by == world.head_a
    assert 0 < assessment.percent < 100
    assert Indicator.objects.filter(method="computed").count() == 7
    assert assessment.period == services.previous_period(services.period_containing("quarter", services.today())).key
    demo.setup_demo_monitoring(center_slug=world.center_a.slug)
    assert Questionnaire.objects.count() == 1 and Assessment.objects.count() == 1
    assert Indicator.objects.count() == len(demo.INDICATORS)
