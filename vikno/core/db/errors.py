"""Telling database refusals apart: which constraint an ``IntegrityError`` names."""

from __future__ import annotations

from django.db import IntegrityError


def violated_constraint(error: IntegrityError) -> str:
    """The name of the constraint (or unique index) that refused the statement, as PostgreSQL reports it
    (``diag.constraint_name`` of the psycopg error Django wraps); empty when it names none."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""
