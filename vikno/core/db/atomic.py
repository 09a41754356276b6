"""Models whose signal receivers write elsewhere (the roll-ups' case deltas and day marks, in
``vikno/reports/receivers.py``) save and delete in one transaction with those writes.

Django wraps ``save()`` in a transaction only for models with parents: in autocommit, a plain model's
INSERT commits on its own and a ``post_save`` receiver's write commits after it (a ``pre_save`` one, before
it). A roll-up recount that ran between the two saw the case without its delta and counted it, and the
sweep then added the delta as well: a registration counted twice (found by
``reports/tests/test_rollup_concurrency.py`` under load, with cases created outside a transaction). Inside a
caller's transaction ``atomic(savepoint=False)`` sends nothing to the server, so the services' write paths
pay nothing for it."""

from __future__ import annotations

from django.db import models, router, transaction


class SavedWithItsSignals(models.Model):
    """Abstract base: ``save()`` and ``delete()`` run in one transaction with their signal receivers."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            return super().delete(*args, **kwargs)

    delete.alters_data = True
