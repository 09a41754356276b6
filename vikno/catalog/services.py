"""Catalog domain operations (owner: catalog-data). Contract used by views, API, demo and cases:

- ``version_in_force(service, on_date) -> ServiceVersion | None``
- ``create_version(service, data: dict, *, valid_from, actor, change_note="") -> ServiceVersion``:
  an edit makes a new version; the previous open version is closed the day before ``valid_from``.
- ``fee_for(version, on_date) -> FeeQuote``: amount due (Decimal or None), budget code, text.
- ``create_service_list(center, *, decision_number, decision_date, valid_from, service_codes, actor)``
- ``service_list_in_force(center, on_date)``; ``service_counts_by_year(center) -> {year: count}``
"""
