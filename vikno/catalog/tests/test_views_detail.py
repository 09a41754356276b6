"""A service's page: the version in force with its ІК, the ТК steps and the version history."""

from __future__ import annotations

import datetime as dt

from vikno.catalog.models import ServiceVersion

from .test_ui_data import FIRST_DOCUMENT, fee_rule, life_situation, make_service


def test_detail_shows_card_steps_and_history(world, login_as):
    service = make_service(
        situations=[life_situation()], fee_kind=ServiceVersion.FeeKind.RULE, rule=fee_rule(), online=True
    )
    html = login_as(world.admin_a).get(f"/staff/catalog/{service.code}/").content.decode()
    assert "<h1>Декларування місця проживання" in html
    assert html.index(FIRST_DOCUMENT) < html.index("Довіреність")  # documents in order
    assert "для представника" in html
    assert "49,92 грн" in html  # 1.5 % of ПМ 3328 грн, via fee_for for today
    assert "22090100" in html  # КБК of the rule
    assert "Відомості внесено до реєстру" in html and "Особисто в ЦНАП." in html
    assert "Неповний пакет документів" in html and "Закон України № 1871-IX" in html
    assert "Переїзд на нове місце проживання" in html
    # ТК: № / action / role / type / term
    assert "Приймає заяву та документи" in html and "Адміністратор ЦНАП" in html and ">В</abbr>" in html
    assert "Посадова особа СНАП" in html
    # history and the links to print and PDF
    assert "Перша версія" in html and "01.01.2024" in html
    for suffix in ("ik/", "tk/", "ik.pdf", "tk.pdf"):
        assert f"/staff/catalog/RMP-001/{suffix}?version=1" in html
    assert "/edit/" not in html  # only system administrators edit
    assert html.count('scope="col"') >= 12


def test_history_and_older_versions(world, login_as):
    service = make_service()
    old = service.versions.get()
    old.valid_to = dt.date(2025, 12, 31)
    old.save()
    newer = ServiceVersion.objects.create(
        service=service,
        number=2,
        valid_from=dt.date(2026, 1, 1),
        name_uk="Декларування або реєстрація місця проживання",
        term_value=2,
        term_unit=ServiceVersion.TermUnit.WORKING_DAYS,
        change_note="Нова редакція закону",
    )
    client = login_as(world.officer_a)
    html = client.get("/staff/catalog/RMP-001/").content.decode()
    assert "Декларування або реєстрація місця проживання" in html
    assert "Нова редакція закону" in html and "31.12.2025" in html
    assert FIRST_DOCUMENT not in html  # version 2 has no documents
    old_html = client.get("/staff/catalog/RMP-001/", {"version": 1}).content.decode()
    assert FIRST_DOCUMENT in old_html
    assert newer.number == 2


def test_unknown_service_or_version_is_404(world, login_as):
    make_service()
    client = login_as(world.admin_a)
    assert client.get("/staff/catalog/NOPE-001/").status_code == 404
    assert client.get("/staff/catalog/RMP-001/", {"version": 9}).status_code == 404
    assert client.get("/staff/catalog/RMP-001/", {"version": "x"}).status_code == 404


def test_missing_subsistence_minimum_does_not_break_the_page(world, login_as):
    rule = fee_rule()
    service = make_service(fee_kind=ServiceVersion.FeeKind.RULE, rule=rule)
    from vikno.catalog.models import SubsistenceMinimum

    SubsistenceMinimum.objects.all().delete()
    response = login_as(world.admin_a).get(f"/staff/catalog/{service.code}/")
    assert response.status_code == 200
    assert "прожитковий мінімум" in response.content.decode()
