"""Structured lines of the version form: documents and ТК steps (no database)."""

from __future__ import annotations

import pytest
from django import forms

from vikno.catalog.forms import parse_documents, parse_tech_steps, parse_term


def test_documents_with_marks_and_conditions():
    text = "Паспорт | о к\n\nЗаява\nДовіреність | копія | для представника\n"
    assert parse_documents(text) == [
        {"position": 1, "name": "Паспорт", "original": True, "copy": True, "condition": ""},
        {"position": 2, "name": "Заява", "original": True, "copy": False, "condition": ""},
        {"position": 3, "name": "Довіреність", "original": False, "copy": True, "condition": "для представника"},
    ]


def test_document_errors_name_the_line():
    with pytest.raises(forms.ValidationError) as caught:
        parse_documents("Паспорт | х\n | о\nА | о | б | в")
    assert caught.value.messages == [
        "Рядок 1: незрозуміла позначка «х»; пишіть «о» (оригінал) і/або «к» (копія).",
        "Рядок 2: вкажіть назву документа.",
        "Рядок 3: забагато частин; формат «назва | о к | умова».",
    ]


def test_steps_accept_role_names_codes_and_terms():
    steps = parse_tech_steps(
        "Приймає заяву | адміністратор ЦНАП | в | 1 год\nРозглядає | officer | В | 5 р.д.\nЗатверджує | Керівник СНАП | З"
    )
    assert [(s["role"], s["action_type"], s["term_value"], s["term_unit"]) for s in steps] == [
        ("administrator", "В", 1, "hours"),
        ("officer", "В", 5, "working_days"),
        ("provider_head", "З", None, ""),
    ]


def test_step_errors():
    with pytest.raises(forms.ValidationError) as caught:
        parse_tech_steps(
            "Дія | Сторож | В\nДія | officer | Х\nДія\nДія | officer | В | п'ять днів\nДія | officer | В | 2 днів"
        )
    messages = caught.value.messages
    assert len(messages) == 5
    assert messages[0].startswith("Рядок 1: невідома роль «Сторож»")
    assert messages[1] == "Рядок 2: тип дії має бути однією з літер В, У, П, З."
    assert messages[2] == "Рядок 3: формат «дія | роль | В/У/П/З | строк»."
    assert "строк має починатися з числа" in messages[3]
    assert "незрозуміла одиниця строку «днів»" in messages[4]


def test_term_units():
    assert parse_term("3 календарних днів", line_no=1) == (3, "calendar_days")
    assert parse_term("10 working_days", line_no=1) == (10, "working_days")
    assert parse_term("", line_no=1) == (None, "")
