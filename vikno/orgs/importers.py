"""КАТОТТГ codifier import (owner: orgs). Contract:

- ``import_katottg(path: Path, *, region_codes: list[str] | None = None) -> ImportReport`` with
  counts per category; idempotent; one transaction; bad rows reported with their line numbers
  (``vikno.core.errors.ImportProblem``), nothing half-imported. ``region_codes`` limits the import
  to some oblasts (the demo loads one oblast quickly).
"""
