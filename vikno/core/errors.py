"""Domain errors carry a machine code and a Ukrainian message; views and the API turn them into 4xx."""

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

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        return data


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
