"""Object-level scoping of staff queries by one indexed predicate.

A staff user sees the objects of their scope only: a center (administrators and heads), a provider
(СНАП officers), a region (oblast monitors) or everything (system administrators). A model opts in
by declaring ``SCOPE_FIELDS``, a mapping of scope kind to the indexed column that carries it, e.g.
``{"center": "center_id", "region": "region_id"}``; ``Model.objects.visible_to(user)`` then adds
exactly one ``column = value`` predicate. A kind the model does not list sees nothing. Views fetch
single objects through ``visible_to`` too, so an object outside the scope answers 404, not 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Center administrator")
    CENTER_HEAD = "center_head", _("Center head")
    OFFICER = "officer", _("Provider officer")
    OBLAST_MONITOR = "oblast_monitor", _("Oblast monitoring")
    SYSADMIN = "sysadmin", _("System administrator")


ROLE_SCOPE_KIND = {
    Role.ADMINISTRATOR: "center",
    Role.CENTER_HEAD: "center",
    Role.OFFICER: "provider",
    Role.OBLAST_MONITOR: "region",
    Role.SYSADMIN: "all",
}


@dataclass(frozen=True)
class Scope:
    kind: str  # "all" | "region" | "center" | "provider" | "none"
    id: int | None = None


NOTHING = Scope("none")
EVERYTHING = Scope("all")


def scope_of(user) -> Scope:
    """The scope of a staff user; anonymous or inactive users get the empty scope."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    kind = ROLE_SCOPE_KIND.get(getattr(user, "role", None))
    if kind is None:
        return NOTHING
    if kind == "all":
        return EVERYTHING
    scope_id = getattr(user, f"{kind}_id", None)
    return Scope(kind, scope_id) if scope_id else NOTHING


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        return self.in_scope(scope_of(user))

    def in_scope(self, scope: Scope) -> models.QuerySet:
        if scope.kind == "all":
            return self
        column = getattr(self.model, "SCOPE_FIELDS", {}).get(scope.kind)
        if column is None or scope.id is None:
            return self.none()
        return self.filter(**{column: scope.id})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
