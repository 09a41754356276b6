"""Catalog search that understands Ukrainian (owner: search). Contract used by other modules:

- ``reindex(service_ids=None) -> int``: recompute ``Service.search_text``/``search_vector`` for the
  given services (all when None); returns how many. Importers and version edits call it.
- ``search_services(query, *, limit=20, only_active=True) -> list[SearchHit]``: ranked best first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SearchHit:
    service_id: int
    code: str
    name: str
    score: float


def reindex(service_ids=None) -> int:
    raise NotImplementedError


def search_services(query: str, *, limit: int = 20, only_active: bool = True) -> list[SearchHit]:
    raise NotImplementedError
