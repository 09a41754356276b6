"""API of the orgs room."""

from ninja import Router

router = Router(tags=["orgs"])
