"""API of the catalog room."""

from ninja import Router

router = Router(tags=["catalog"])
