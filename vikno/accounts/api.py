"""API: who am I."""

from __future__ import annotations

from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    center_id: int | None
    provider_id: int | None
    region_id: int | None


@router.get("/me", response=MeOut, summary="The authenticated staff user and their scope")
def me(request):
    user = request.user
    return MeOut(
        username=user.username,
        full_name=user.full_name(),
        role=user.role,
        center_id=user.center_id,
        provider_id=user.provider_id,
        region_id=user.region_id,
    )
