"""Domain errors carry a machine code and a message in the active language (Ukrainian for the API and by
default; raise them with ``gettext`` and an English msgid); views and the API turn them into 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user can understand and fix. ``status`` is the HTTP status to answer with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.field = field
        self.others: list[DomainError] = []  # further problems found in the same input

    @property
    def all(self) -> list[DomainError]:
        return [self, *self.others]

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.others:
            data["errors"] = [{"field": e.field or "", "type": e.code, "message": e.message} for e in self.all]
        return data


class Problems:
    """Collects the refusals of several independent checks, to report them all at once: the first
    is raised with the rest in its ``others``."""

    def __init__(self):
        self.found: list[DomainError] = []

    def add(self, error: DomainError) -> None:
        self.found.append(error)

    def check(self, function, *args, default=None, **kwargs):
        """``function(*args, **kwargs)``, or ``default`` with its refusal noted."""
        try:
            return function(*args, **kwargs)
        except DomainError as error:
            self.found.append(error)
            return default

    def raise_any(self) -> None:
        if self.found:
            first = self.found[0]
            first.others = self.found[1:]
            raise first


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class ImportProblem(DomainError):
    """An import refused as a whole; ``problems`` lists every bad row and field found."""

    code = "import_invalid"

    def __init__(self, problems: list[str], *, source: str = ""):
        self.problems = problems
        head = f"{source}: " if source else ""
        super().__init__(f"{head}імпорт скасовано, знайдено помилок: {len(problems)}. " + "; ".join(problems[:20]))

    def as_dict(self) -> dict:
        return {**super().as_dict(), "problems": self.problems}
