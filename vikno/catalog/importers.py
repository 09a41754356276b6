"""Catalog import and export (owner: catalog-data). Contract:

- ``import_shared_catalog(data_dir: Path, *, actor=None) -> ImportReport``: spheres, life
  situations, ПМ, fee rules, services and information cards from shared/data; idempotent; one
  transaction; raises ``vikno.core.errors.ImportProblem`` listing every bad row.
- ``import_catalog(fileobj, fmt: "csv"|"xlsx"|"json", *, actor=None) -> ImportReport``
- ``export_catalog(fmt) -> bytes``
"""
