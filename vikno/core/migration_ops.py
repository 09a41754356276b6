"""Migration operations shared by several rooms."""

from __future__ import annotations

from django.db import migrations


def without_own_index(
    app_label: str, *changes: tuple[migrations.AlterField, str]
) -> migrations.SeparateDatabaseAndState:
    """Foreign keys that stop carrying their own index: each change is the ``AlterField`` that sets
    ``db_index=False`` and the name of the index it drops. The database side drops the indexes
    CONCURRENTLY (reversed: builds them CONCURRENTLY), so the migration must have ``atomic = False``;
    the tables stay writable meanwhile. Tables and columns follow Django's defaults
    (``<app>_<model>``, ``<field>_id``)."""
    return migrations.SeparateDatabaseAndState(
        state_operations=[change for change, _index in changes],
        database_operations=[
            migrations.RunSQL(
                f"DROP INDEX CONCURRENTLY IF EXISTS {index}",
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {app_label}_{change.model_name} ({change.name}_id)",
            )
            for change, index in changes
        ],
    )
