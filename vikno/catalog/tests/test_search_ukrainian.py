"""Catalog search understands Ukrainian: word forms, derivation, typos, synonyms, ranking."""

import pytest

from vikno.catalog import search
from vikno.catalog.models import LifeSituation, Sphere
from vikno.catalog.tests.searchdata import build_catalog, make_service
from vikno.core.errors import DomainError

BIRTH = {"ACS-001", "CMP-001", "SOC-003"}


@pytest.fixture
def catalog(db):
    return build_catalog()


def codes(query, **kwargs):
    return [hit.code for hit in search.search_services(query, **kwargs)]


def test_lemmas_join_word_forms():
    assert search.lemma_text("народження дитини") == search.lemma_text("народженню дитину")
    assert search.lemmas("дітей") == ("дитина",)
    assert search.lemma_text("хочу та її") == ""


@pytest.mark.parametrize("phrase", ["народила дитину", "народження дитини", "дитина народилася"])
def test_the_three_birth_phrases_meet(catalog, phrase):
    found = codes(phrase)
    assert {"ACS-001", "CMP-001"} <= set(found)
    # Birth-related services come before anything else that matched.
    top = found[: len(BIRTH)]
    assert set(top) == BIRTH, found


def test_the_three_phrases_find_the_same_services(catalog):
    results = [set(codes(p)) for p in ("народила дитину", "народження дитини", "дитина народилася")]
    assert results[0] == results[1] == results[2]


def test_birth_ranks_above_unrelated_services(catalog):
    hits = search.search_services("народила дитину")
    scores = {h.code: h.score for h in hits}
    assert hits[0].code in BIRTH
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for code in ("PAS-001", "ACS-002", "ZEM-001"):
        assert scores.get(code, 0) < min(scores[c] for c in BIRTH)


def test_unrelated_query_does_not_find_birth_services(catalog):
    assert not BIRTH & set(codes("земельна ділянка"))
    assert codes("земельна ділянка")[0] == "ZEM-001"


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("нарожденя дитини", "ACS-001"), ("паспотр", "PAS-001"), ("субсідія", "SOC-009"), ("посвідченя водія", "TRN-002")],
)
def test_typos_still_find(catalog, typo, expected):
    found = codes(typo)
    assert expected in found[:3], found


def test_typo_in_birth_phrase_keeps_birth_services_first(catalog):
    assert set(codes("нарожденя дитини")[:3]) == BIRTH


def test_synonym_of_a_life_situation_finds_its_services(catalog):
    assert codes("весілля")[0] == "ACS-002"
    assert codes("поповнення в сім'ї")[:3] and set(codes("поповнення в сімʼї")[:3]) == BIRTH
    assert codes("вкрали документи")[0] == "PAS-001"


def test_new_synonym_is_searchable_after_reindex(catalog):
    assert "ACS-003" not in codes("поховання")
    death = LifeSituation.objects.get(code="DEATH")
    death.synonyms = [*death.synonyms, "поховання бабусі"]
    death.save()
    assert search.reindex([s.id for s in death.services.all()]) == 1
    assert codes("поховання")[0] == "ACS-003"


def test_name_match_beats_life_situation_match(catalog):
    sphere = Sphere.objects.get(code="SOC")
    make_service("SOC-100", "Призначення допомоги на поховання", sphere, [LifeSituation.objects.get(code="DEATH")])
    search.reindex()
    found = codes("смерть")
    # Both belong to «Смерть близької людини»; only ACS-003 has the word in its name.
    assert found[:2] == ["ACS-003", "SOC-100"]


def test_exact_code_comes_first(catalog):
    assert codes("ACS-001")[0] == "ACS-001"
    assert codes("acs 001")[0] == "ACS-001"


def test_inactive_services_are_hidden_unless_asked(catalog):
    service = catalog["services"]["SOC-003"]
    service.is_active = False
    service.save(update_fields=["is_active"])
    assert "SOC-003" not in codes("народження дитини")
    assert "SOC-003" in codes("народження дитини", only_active=False)


def test_limit_is_respected(catalog):
    assert len(codes("державна реєстрація", limit=2)) == 2


def test_empty_query_is_refused(catalog):
    for query in ("", "   ", "?!…"):
        with pytest.raises(DomainError) as exc:
            search.search_services(query)
        assert exc.value.code == "empty_query"
        assert "Введіть пошуковий запит" in exc.value.message


def test_query_of_only_function_words_finds_nothing_without_error(catalog):
    assert codes("як та де") == []


def test_one_sql_statement_per_search(catalog, django_assert_num_queries):
    search.search_services("народила дитину")  # warm the lemma cache
    with django_assert_num_queries(1):
        search.search_services("народила дитину")
    with django_assert_num_queries(1):
        search.search_services("нарожденя дитини паспотр")


def test_search_text_holds_lemmas_of_life_situations_and_synonyms(catalog):
    service = catalog["services"]["CMP-001"]
    service.refresh_from_db()
    assert "народження дитина" in service.search_text
    assert "поповнення" in service.search_text
    assert "ємалятко" in service.search_text


def test_reindex_returns_count(catalog):
    assert search.reindex() == len(catalog["services"])
    assert search.reindex([]) == 0


def test_long_query_prefers_services_matching_most_words(catalog):
    # Three words: services with at least two of them are enough to fill a page of one or two.
    assert codes("державна реєстрація народження", limit=1) == ["ACS-001"]
    assert codes("державна реєстрація народження", limit=2)[0] == "ACS-001"
    # Too few services have most words: any word will do, best first.
    found = codes("державна реєстрація народження")
    assert found[0] == "ACS-001" and "ACS-002" in found
