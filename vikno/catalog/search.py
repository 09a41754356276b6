"""Catalog search that understands Ukrainian (owner: search). Contract used by other modules:

- ``reindex(service_ids=None) -> int``: recompute ``Service.search_text``/``search_vector`` for the
  given services (all when None); returns how many. Importers and version edits call it.
- ``search_services(query, *, limit=20, only_active=True) -> list[SearchHit]``: ranked best first.

How it works
------------
*Words.* Text is split into words of letters and digits (apostrophes ', ʼ, ’ inside a word are kept
for the dictionary, dropped afterwards). Each word is lemmatised with pymorphy3's Ukrainian
dictionary (one ``MorphAnalyzer`` per process, lemmas cached with ``functools.lru_cache``); a word
with two likely readings keeps both lemmas. Function words («та», «з», «її», «хочу»…) are dropped.

*Index.* ``reindex`` stores, per service, a ``tsvector`` built with the ``simple`` configuration over
the lemmas only, weighted: A = the service name, B = names and synonyms of its life situations,
C = the sphere name, D = the English name. ``search_text`` keeps the same lemmas as plain text for
trigram matching (GIN ``gin_trgm_ops`` indexes on ``search_text`` and ``name_uk``).

*Derivation.* A verb and its noun have different lemmas («народила» → «народити», «народження» →
«народження», «народилася» → «народитися»). Each query word therefore becomes the term
``'lemma' | 'stem':*`` where the stem is the first five letters of the lemma (shorter lemmas of
four or five letters are used whole as a prefix; lemmas under four letters match exactly). The
prefix «народ:*» reaches «народження», «народити» and «новонароджений» is reached through the life
situation «Народження дитини». An exact lemma match counts twice in the rank (both alternatives
match), so «народження» still beats a mere «народний». Derivations that change the start of the word
(«загубив» ↔ «втрата», «помер» ↔ «смерть») are what ``LifeSituation.synonyms`` are for.

*Typos.* A query word unknown to the dictionary (say «паспотр», «нарожденя») is also compared with
the vocabulary of the index — the materialized view ``catalog_search_vocabulary`` (migration 0002,
refreshed by ``reindex``) with a trigram GIN index — and its two closest words with trigram
similarity ≥ ``VIKNO_SEARCH_MIN_SIMILARITY`` (and ≥ pg_trgm's ``similarity_threshold``, 0.3 by
default, which the index uses) join its term. That step is part of the same SQL statement.

A bundled (complex) service also gets the names of its life situations at weight A: «єМалятко» is
the answer to «народження дитини» even though its name says neither word.

*Ranking.* With two query words or more, the services that have every word are the answer when
there are at least ``STRICT_ENOUGH`` of them (GIN answers a conjunction fast); otherwise any word
will do, so a word the catalog does not know never hides a result. Stage 1 scores each match from
its tsvector alone: the share of query words found (1.0) and ``ts_rank`` over the weighted vector
scaled to 0…1 (0.5), plus 10 for an exact service code («ACS-001»); the best ``CANDIDATES`` go on.
Stage 2 adds the share of words found in the name (0.6) and in a life situation (0.4), and the
trigram ``word_similarity`` (0.3) and ``similarity`` (0.3) of the query and the name, so the exact
name beats a longer name that contains it. Last comes demand: ``W_DEMAND`` times the service's
cases of the last 365 days on a log scale against the most requested service
(``ln(1 + demand) / ln(2 + max demand)``, kept nightly by ``vikno.cases.demand.refresh``). It is
small enough that it only reorders near-ties — «паспорт» matches the ID card, the passport for
travel abroad and the building passport (будівельний паспорт) equally well by words; the one people
ask for most comes first. Everything — typo correction, matching, both stages,
the version in force, its sphere and fee rule, this year's ПМ — is one SQL statement; results come
best first, ties by code.

*Keep the index fresh.* ``search_vector`` is written by raw SQL; ``Service.save()`` without
``update_fields`` writes the in-memory value back (usually None). Save services with
``update_fields`` or call ``reindex`` afterwards.

*Empty query.* A query without any letter or digit raises ``DomainError`` (code ``empty_query``);
the API answers 400 for it, and lists every service by code when ``q`` is absent or blank.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from vikno.core.errors import DomainError

# Words of letters and digits; an apostrophe between letters belongs to the word («сім'я»).
_WORD_RE = re.compile(r"[^\W_]+(?:['ʼ’`][^\W_]+)*")
_APOSTROPHES = str.maketrans({"ʼ": "'", "’": "'", "`": "'"})
_CODE_RE = re.compile(r"^\s*([A-Za-z]{3})[-\s]?(\d{3})\s*$")

STEM_LENGTH = 5
MIN_PREFIX_LENGTH = 4

# Lemmas that carry no meaning in a search for a service.
_STOPWORDS_TEXT = """
    і й та а але або чи ні не ж же би б в у з із зі зо до на по про при для від за над під через без
    між що як який яка яке які де коли куди чому це цей ця той та те ті такий весь свій себе мій
    твій наш ваш його її їх вона він воно вони я ми ви ти мене мені мною нас нам хотіти хтіти треба
    потрібно можна будь ласка щоб якщо тому також ще вже
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Score parts (see the module docstring).
W_COVERAGE = 1.0
W_NAME = 0.6
W_LIFE_SITUATION = 0.4
W_RANK = 0.5
W_TRIGRAM = 0.3
W_SIMILARITY = 0.3
W_CODE = 10.0
W_DEMAND = 0.1


@dataclass
class SearchHit:
    service_id: int
    code: str
    name: str
    score: float
    sphere_code: str = ""
    sphere_name: str = ""
    version_id: int | None = None
    term_value: int | None = None
    term_unit: str = ""
    fee_kind: str = ""
    fee_amount: Decimal | None = None  # the fixed amount of a ``fixed`` fee
    fee_coefficient: Decimal | None = None  # of the ПМ, for a ``rule`` fee
    fee_rounding: str = ""
    subsistence_minimum: Decimal | None = None  # ПМ on 1 January of the current year, if recorded
    online: bool = False
    instant: bool = False


# --- Words and lemmas ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@functools.lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[str, ...]:
    """Lemmas of one lower-case word (one or two), apostrophes removed; () for a function word."""
    word = word.lower().translate(_APOSTROPHES)
    parses = _morph().parse(word)
    found: list[str] = []
    if parses:
        top = parses[0].score
        for p in parses[:4]:
            if p.score >= top * 0.5 and p.normal_form not in found:
                found.append(p.normal_form)
            if len(found) == 2:
                break
    else:
        found = [word]
    cleaned = tuple(dict.fromkeys(w.replace("'", "") for w in found))
    if all(w in STOPWORDS for w in cleaned):
        return ()
    return cleaned


@functools.lru_cache(maxsize=50_000)
def is_known(word: str) -> bool:
    """Whether the dictionary knows the word (unknown words may be typos)."""
    word = word.lower().translate(_APOSTROPHES)
    return word.isdigit() or _morph().word_is_known(word)


def words(text: str) -> list[str]:
    return [w.lower().translate(_APOSTROPHES) for w in _WORD_RE.findall(text or "")]


def lemma_text(text: str) -> str:
    """The lemmas of ``text`` separated by spaces, function words dropped."""
    out: list[str] = []
    for w in words(text):
        out.extend(lemmas(w))
    return " ".join(out)


def stem(lemma: str) -> str | None:
    """The prefix used for derivation matching, or None when the lemma is too short."""
    if len(lemma) < MIN_PREFIX_LENGTH:
        return None
    return lemma[:STEM_LENGTH]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("'", "''").replace("\\", "\\\\") + "'"


def _term(lemma_set: tuple[str, ...]) -> str:
    """tsquery text matching one query word: its lemmas exactly or their stems as prefixes."""
    parts: list[str] = []
    for lemma in lemma_set:
        parts.append(_quote(lemma))
        s = stem(lemma)
        if s:
            parts.append(_quote(s) + ":*")
    return " | ".join(dict.fromkeys(parts))


@dataclass
class ParsedQuery:
    raw: str
    terms: list[str]  # tsquery text per query word
    typos: list[str]  # the word when unknown to the dictionary, else ""
    lemma_text: str
    code: str | None


def parse_query(query: str) -> ParsedQuery:
    raw = " ".join((query or "").split())[:300]
    found = words(raw)
    if not found:
        raise DomainError(
            gettext("Enter a search query: the name of a service or a life situation, e.g. «народження дитини»."),
            code="empty_query",
            field="q",
        )
    seen: set[tuple[str, ...]] = set()
    terms: list[str] = []
    typos: list[str] = []
    all_lemmas: list[str] = []
    for w in found:
        lemma_set = lemmas(w)
        if not lemma_set or lemma_set in seen:
            continue
        seen.add(lemma_set)
        terms.append(_term(lemma_set))
        typos.append(w.replace("'", "") if len(w) >= MIN_PREFIX_LENGTH and not is_known(w) else "")
        all_lemmas.extend(lemma_set)
    if not terms:  # only function words: search for them as they are
        for w in dict.fromkeys(found):
            terms.append(_quote(w.replace("'", "")))
            typos.append("")
            all_lemmas.append(w)
    match = _CODE_RE.match(raw)
    code = f"{match.group(1).upper()}-{match.group(2)}" if match else None
    return ParsedQuery(raw=raw, terms=terms[:12], typos=typos[:12], lemma_text=" ".join(all_lemmas), code=code)


# --- Index -----------------------------------------------------------------------------------------

_REINDEX_SQL = """
UPDATE catalog_service AS s
SET search_text = v.search_text,
    search_vector = setweight(to_tsvector('simple', v.a), 'A')
                 || setweight(to_tsvector('simple', v.b), 'B')
                 || setweight(to_tsvector('simple', v.c), 'C')
                 || setweight(to_tsvector('simple', v.d), 'D')
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
     AS v(id, search_text, a, b, c, d)
WHERE s.id = v.id
"""


def document_for(service) -> dict[str, str]:
    """The weighted lemma texts of a service (life situations and sphere must be loaded)."""
    situations = list(service.life_situations.all())
    version = service.current_version
    a = lemma_text(service.name_uk or (version.name_uk if version else ""))
    b_parts = []
    for ls in situations:
        b_parts.append(lemma_text(ls.name_uk))
        for synonym in ls.synonyms or []:
            if isinstance(synonym, str):
                b_parts.append(lemma_text(synonym))
    b = " ".join(p for p in b_parts if p)
    if version and version.complex:
        # A bundled service («єМалятко», «ID-14») is the one-stop answer to its life situations:
        # their names count as its name.
        a = " ".join(p for p in [a, *(lemma_text(ls.name_uk) for ls in situations)] if p)
    c = lemma_text(service.sphere.name_uk) if service.sphere_id else ""
    d = " ".join(words(version.name_en)) if version and version.name_en else ""
    d = d.replace("'", "")
    return {"a": a, "b": b, "c": c, "d": d, "search_text": " ".join(p for p in (a, b) if p)}


def reindex(service_ids=None) -> int:
    """Recompute ``search_text`` and ``search_vector`` of the given services (all when None)."""
    from .models import Service

    qs = Service.objects.select_related("sphere", "current_version").prefetch_related("life_situations")
    if service_ids is not None:
        qs = qs.filter(id__in=list(service_ids))
    columns: dict[str, list] = {"id": [], "search_text": [], "a": [], "b": [], "c": [], "d": []}
    for service in qs.iterator(chunk_size=1000):
        doc = document_for(service)
        columns["id"].append(service.id)
        for key in ("search_text", "a", "b", "c", "d"):
            columns[key].append(doc[key])
    if not columns["id"]:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(columns["id"]), 1000):
            chunk = [columns[k][start : start + 1000] for k in ("id", "search_text", "a", "b", "c", "d")]
            cursor.execute(_REINDEX_SQL, chunk)
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY catalog_search_vocabulary")
    return len(columns["id"])


# --- Search ----------------------------------------------------------------------------------------

# Each query word is a term ``'lemma' | 'stem':*``; a word the dictionary does not know also gets its
# two closest words of the index vocabulary (``catalog_search_vocabulary``, trigram GIN index).
_TERMS_SQL = """
WITH terms AS (
    SELECT x.i, CASE WHEN c.q IS NULL THEN x.q::tsquery ELSE x.q::tsquery || c.q END AS q
    FROM unnest(%(terms)s::text[], %(typos)s::text[]) WITH ORDINALITY AS x(q, typo, i)
    LEFT JOIN LATERAL (
        SELECT string_agg(quote_literal(near.word), ' | ')::tsquery AS q
        FROM (
            SELECT v.word FROM catalog_search_vocabulary v
            WHERE x.typo <> '' AND v.word %% x.typo AND similarity(v.word, x.typo) >= %(min_sim)s
            ORDER BY similarity(v.word, x.typo) DESC, v.word
            LIMIT 2
        ) near
    ) c ON true
),
query AS (
    SELECT qs, any_q, {strict} AS strict_q
    FROM (
        SELECT array_agg(q ORDER BY i) AS qs, string_agg('(' || q::text || ')', ' | ')::tsquery AS any_q
        FROM terms
    ) agg
)
"""

# Stage 1 scores each match cheaply from its tsvector alone and keeps the best ``CANDIDATES``.
_STAGE_SQL = """
    SELECT s.id, {score} AS base
    FROM query qq, catalog_service s
    WHERE {where}
    ORDER BY base DESC, s.code
    LIMIT %(candidates)s
"""

# Stage 2 adds the trigram similarity of query and name (the costly part) and joins what the API shows.
_RESULT_SQL = """
SELECT s.id, s.code, s.name_uk, sp.code, sp.name_uk,
       v.id, v.term_value, v.term_unit, v.fee_kind, v.fee_amount, fr.coefficient, fr.rounding,
       (SELECT pm.amount FROM catalog_subsistenceminimum pm WHERE pm.year = %(year)s),
       coalesce(v.online, false), coalesce(v.instant, false),
       (c.base + {boost} + %(w_trgm)s * word_similarity(%(raw)s, s.name_uk)
        + %(w_sim)s * similarity(%(raw)s, s.name_uk)
        + %(w_demand)s * ln(1 + s.demand) / ln(2 + d.top))::float
FROM candidates c
CROSS JOIN query qq
CROSS JOIN (SELECT coalesce(max(demand), 0) AS top FROM catalog_service) d
JOIN catalog_service s ON s.id = c.id
JOIN catalog_sphere sp ON sp.id = s.sphere_id
LEFT JOIN catalog_serviceversion v ON v.id = s.current_version_id
LEFT JOIN catalog_feerule fr ON fr.id = v.fee_rule_id
ORDER BY 16 DESC, s.code
LIMIT %(limit)s
"""

_ANY_WHERE = "(s.search_vector @@ (SELECT any_q FROM query){code}){active}"
_STRICT_WHERE = "(s.search_vector @@ (SELECT strict_q FROM query){code}){active}"
_LOOSE_WHERE = (
    "(SELECT count(*) FROM strict_c) < %(enough)s AND s.search_vector @@ (SELECT any_q FROM query)"
    " AND s.id NOT IN (SELECT id FROM strict_c){active}"
)
_ONE_STAGE = ", candidates AS ({any})"
_TWO_STAGES = (
    ", strict_c AS MATERIALIZED ({strict}), loose_c AS ({loose}),"
    " candidates AS (SELECT * FROM strict_c UNION ALL SELECT * FROM loose_c)"
)

CANDIDATES = 60
STRICT_ENOUGH = 5  # services with every query word that make partial matches unnecessary
TRIGRAM_QUERY_LENGTH = 80


def _strict_filter(n: int) -> str | None:
    """A tsquery expression over ``qs`` matching documents that have every query term (None for a
    single term). GIN answers a conjunction quickly; combinations like «any two of five» repeat
    prefix terms and cost several times more than the plain disjunction."""
    if n < 2:
        return None
    return " && ".join(f"qs[{i}]" for i in range(1, n + 1))


def _score_sql(n: int, with_code: bool) -> str:
    """Stage-1 score of one service from its tsvector: share of terms matched and weighted rank."""
    matched = " + ".join(f"(s.search_vector @@ qq.qs[{i}])::int" for i in range(1, n + 1))
    score = (
        f"%(w_cov)s * ({matched}) / %(n)s"
        " + %(w_rank)s * ts_rank('{0.1, 0.2, 0.4, 1.0}', coalesce(s.search_vector, ''), qq.any_q, 32)"
    )
    if with_code:
        score += " + CASE WHEN s.code = %(code)s THEN %(w_code)s ELSE 0 END"
    return score


def _boost_sql(n: int) -> str:
    """Stage-2 boost: shares of the terms found in the name (weight A) and in a life situation (B)."""
    in_name = " + ".join(f"(ts_rank('{{0, 0, 0, 1}}', s.search_vector, qq.qs[{i}]) > 0)::int" for i in range(1, n + 1))
    in_ls = " + ".join(f"(ts_rank('{{0, 0, 1, 0}}', s.search_vector, qq.qs[{i}]) > 0)::int" for i in range(1, n + 1))
    return f"(%(w_name)s * ({in_name}) + %(w_ls)s * ({in_ls})) / %(n)s"


@functools.lru_cache(maxsize=128)
def _search_sql(n: int, *, with_code: bool, only_active: bool) -> str:
    """The statement for ``n`` query terms. With two terms or more, services having all of them are
    the answer when there are at least ``STRICT_ENOUGH`` (or ``limit``) of them; otherwise services
    with only some of the terms are ranked too."""
    active = " AND s.is_active" if only_active else ""
    code = " OR s.code = %(code)s" if with_code else ""
    score = _score_sql(n, with_code)
    result = _fill(_RESULT_SQL, boost=_boost_sql(n))
    strict = _strict_filter(n)

    def stage(where: str) -> str:
        return _fill(_STAGE_SQL, score=score, where=_fill(where, code=code, active=active))

    if strict is None:
        body = _fill(_ONE_STAGE, any=stage(_ANY_WHERE))
        return _fill(_TERMS_SQL, strict="NULL::tsquery") + body + result
    body = _fill(_TWO_STAGES, strict=stage(_STRICT_WHERE), loose=stage(_LOOSE_WHERE))
    return _fill(_TERMS_SQL, strict=strict) + body + result


def _fill(template: str, **parts: str) -> str:
    """Put fixed SQL fragments into ``{name}`` slots (values always travel as query parameters)."""
    for name, part in parts.items():
        template = template.replace("{" + name + "}", part)
    return template


def search_services(query: str, *, limit: int = 20, only_active: bool = True) -> list[SearchHit]:
    """Services matching ``query``, best first (one SQL statement)."""
    parsed = parse_query(query)
    limit = max(1, min(int(limit), 200))
    params = {
        "terms": parsed.terms,
        "typos": parsed.typos,
        "n": len(parsed.terms),
        "min_sim": float(settings.SEARCH_MIN_SIMILARITY),
        "raw": parsed.raw.lower()[:TRIGRAM_QUERY_LENGTH],
        "code": parsed.code or "",
        "limit": limit,
        "candidates": max(CANDIDATES, limit),
        "enough": min(limit, STRICT_ENOUGH),
        "year": timezone.localdate().year,
        "w_cov": W_COVERAGE,
        "w_name": W_NAME,
        "w_ls": W_LIFE_SITUATION,
        "w_rank": W_RANK,
        "w_trgm": W_TRIGRAM,
        "w_sim": W_SIMILARITY,
        "w_code": W_CODE,
        "w_demand": W_DEMAND,
    }
    sql = _search_sql(len(parsed.terms), with_code=bool(parsed.code), only_active=only_active)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        SearchHit(
            service_id=r[0],
            code=r[1],
            name=r[2],
            sphere_code=r[3],
            sphere_name=r[4],
            version_id=r[5],
            term_value=r[6],
            term_unit=r[7] or "",
            fee_kind=r[8] or "",
            fee_amount=r[9],
            fee_coefficient=r[10],
            fee_rounding=r[11] or "",
            subsistence_minimum=r[12],
            online=r[13],
            instant=r[14],
            score=round(r[15], 4),
        )
        for r in rows
    ]
