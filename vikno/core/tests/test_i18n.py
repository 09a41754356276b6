"""The interface is Ukrainian first, with a complete English translation, from one project catalog."""

import gettext

import pytest
from django.conf import settings

from vikno.core.management.commands.i18ncheck import (
    CATALOG_DIR,
    catalog_problems,
    missing_literals,
    parse_po,
    placeholders,
    source_literals,
)

UK_PO = CATALOG_DIR / "uk" / "LC_MESSAGES" / "django.po"
UK_MO = UK_PO.with_suffix(".mo")


def test_there_is_one_catalog_for_the_whole_project():
    assert [str(p) for p in settings.LOCALE_PATHS] == [str(CATALOG_DIR)]
    app_catalogs = [p for p in (settings.BASE_DIR / "vikno").glob("*/locale") if p != CATALOG_DIR]
    assert app_catalogs == [], "translations belong in vikno/locale, not in an app folder"
    assert (CATALOG_DIR / "en" / "LC_MESSAGES" / "django.po").exists()


def test_every_entry_of_the_ukrainian_catalog_is_translated_without_fuzzy_flags_and_keeps_placeholders():
    problems = catalog_problems(UK_PO)
    assert not problems, "\n".join(problems)


def test_every_string_marked_in_templates_and_code_is_in_the_catalog():
    assert len(source_literals()) > 100  # the scanner does find the project's strings
    missing = missing_literals(UK_PO)
    assert not missing, (
        "Not in vikno/locale/uk/LC_MESSAGES/django.po — run `manage.py makemessages -l uk -l en "
        "--ignore=.venv --ignore=node_modules --ignore=var --ignore=bench --ignore=tests` and translate:\n"
        + "\n".join(str(literal) for literal in missing)
    )


def test_the_parser_and_the_checks_catch_what_they_should(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        '#: a.html:1\nmsgid "Log in"\nmsgstr "Увійти"\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Привіт"\n\n'
        '#, python-format\nmsgid "%(counter)s service"\nmsgid_plural "%(counter)s services"\n'
        'msgstr[0] "%(counter)s послуга"\nmsgstr[1] "%(counter)s послуги"\nmsgstr[2] ""\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"Два "\n"рядки \\"так\\""\n',
        encoding="utf-8",
    )
    entries = parse_po(po)
    assert [e.msgid for e in entries] == ["", "Log in", "Hello %(name)s", "%(counter)s service", "Two lines"]
    assert entries[4].msgstr[0] == 'Два рядки "так"'
    problems = "\n".join(catalog_problems(po))
    assert "'Hello %(name)s' is marked fuzzy" in problems
    assert "placeholders of msgstr[0] [] differ" in problems
    assert "'%(counter)s service' has no Ukrainian translation (msgstr[2])" in problems
    assert "Log in" not in problems and "Two lines" not in problems
    assert placeholders("%(a)s of %(b)d, 100%%") == ["%(a)s", "%(b)d"]


def _compiled_is_current() -> bool:
    with UK_MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    for entry in parse_po(UK_PO):
        if entry.is_header:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid  # gettext's context key
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr[0]:
                return False
        elif any(catalog.get((key, index)) != text for index, text in entry.msgstr.items()):
            return False
    return True


@pytest.mark.django_db
def test_pages_speak_ukrainian_by_default_and_english_on_request(client):
    assert UK_MO.exists() and _compiled_is_current(), (
        "compile the catalog first: `manage.py compilemessages --ignore=.venv --ignore=node_modules` (make install)"
    )
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="uk">' in page
    assert "Вхід для працівників" in page and "Увійти" in page and "Staff login" not in page

    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page and "Staff login" in page and "Log in" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Staff login" in page and "Увійти" not in page

    client.post("/i18n/setlang/", {"language": "uk", "next": "/accounts/login/"})
    assert "Увійти" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
