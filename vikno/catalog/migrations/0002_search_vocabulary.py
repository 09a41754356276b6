"""The vocabulary of the catalog search index, for typo correction (owner: search).

A materialized view of every lemma in ``catalog_service.search_vector`` with the number of services
that use it, and a trigram index to find the words closest to an unknown query word. ``search.reindex``
refreshes it.
"""

from django.db import migrations

CREATE = """
CREATE MATERIALIZED VIEW catalog_search_vocabulary AS
    SELECT word, ndoc
    FROM ts_stat('SELECT search_vector FROM public.catalog_service WHERE search_vector IS NOT NULL');
CREATE UNIQUE INDEX catalog_search_vocabulary_word ON catalog_search_vocabulary (word);
CREATE INDEX catalog_search_vocabulary_trgm ON catalog_search_vocabulary USING gin (word gin_trgm_ops);
"""

DROP = "DROP MATERIALIZED VIEW IF EXISTS catalog_search_vocabulary;"


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial"), ("core", "0002_audit_append_only_and_extensions")]

    operations = [migrations.RunSQL(CREATE, DROP)]
