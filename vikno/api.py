"""The versioned JSON API, /api/v1/. Each room contributes a router from its own ``api`` module."""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vikno.core.api_errors import ApiError, field_message, status_body
from vikno.core.apiauth import staff_auth
from vikno.core.errors import DomainError
from vikno.core.text_guard import BadText, GuardedParser


class ViknoAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _fix_parameter_examples(schema)
        _document_errors(schema)
        return schema


def _fix_parameter_examples(schema) -> None:
    """django-ninja writes ``examples`` of a query/path parameter as a list on the Parameter Object;
    OpenAPI 3.1 wants a map there, and a list only inside the parameter's JSON Schema. Move it."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                examples = parameter.get("examples")
                if isinstance(examples, list):
                    parameter.pop("examples")
                    parameter.setdefault("schema", {}).setdefault("examples", examples)


def _document_errors(schema) -> None:
    """Name in every operation the error statuses any operation can give, with the one error body
    (``ApiError``), beside those its router declares: 400 (a character the database cannot store in
    the path or query, an unreadable body), 401 and 403 where a caller must sign in, 404 where the path
    names an object, 422 where there is input to validate."""
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ApiError.__name__}"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            statuses = [400]
            if operation.get("security"):
                statuses += [401, 403]
            if any(p.get("in") == "path" for p in parameters):
                statuses.append(404)
            if parameters or "requestBody" in operation:
                statuses.append(422)
            # django-ninja keys its responses by number and ``openapi_extra`` by text: one key per
            # status, the described one kept (else the JSON would carry "200" twice).
            responses: dict[str, dict] = {}
            for status, response in operation["responses"].items():
                if "content" in response or str(status) not in responses:
                    responses[str(status)] = response
            for status in statuses:
                responses.setdefault(str(status), {"description": HTTPStatus(status).phrase, "content": body})
            operation["responses"] = dict(sorted(responses.items()))


api = ViknoAPI(
    title="Vikno API",
    version="1",
    description=(
        "API інформаційної системи ЦНАП «Вікно». Машинні клієнти (кіоски, системи СНАП) передають токен "
        "у заголовку `Authorization: Bearer <токен>`; працівники в браузері користуються сесією. "
        'Помилки мають вигляд `{"code": ..., "message": ...}` з повідомленням українською.'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=staff_auth,
    parser=GuardedParser(),
)


def _error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.append({"field": ".".join(loc), "type": err.get("type", ""), "message": field_message(err)})
    return _error(request, 422, "validation_error", "Дані запиту некоректні: перевірте поля.", errors=fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, status_body(401), status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, status_body(404), status=404)


@api.exception_handler(BadText)
def on_bad_text(request, exc: BadText):
    return _error(request, 400, "bad_character", str(exc), field=exc.field)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BadText):  # the JSON body (django-ninja wraps the parser's errors)
        return on_bad_text(request, exc.__cause__)
    body = status_body(exc.status_code, request.method, str(exc))
    return api.create_response(request, body, status=exc.status_code)


def _mount() -> None:
    from vikno.accounts.api import router as accounts_router
    from vikno.cases.api import router as cases_router
    from vikno.catalog.api import router as catalog_router
    from vikno.catalog.api_io import router as catalog_io_router
    from vikno.core.api_audit import router as audit_router
    from vikno.core.api_ping import router as ping_router
    from vikno.monitoring.api import router as monitoring_router
    from vikno.notify.api import router as notify_router
    from vikno.orgs.api import router as orgs_router
    from vikno.queue.api import router as queue_router
    from vikno.queue.api_booking import router as booking_router
    from vikno.reports.api import router as reports_router
    from vikno.reports.api_oblast import router as oblast_router
    from vikno.reports.api_timing import router as timing_router

    api.add_router("/", catalog_router)
    api.add_router("/", catalog_io_router)
    api.add_router("/", orgs_router)
    api.add_router("/", accounts_router)
    api.add_router("/", audit_router)
    api.add_router("/", cases_router)
    api.add_router("/", notify_router)
    api.add_router("/", ping_router)
    api.add_router("/", booking_router)
    api.add_router("/", queue_router)
    api.add_router("/", monitoring_router)
    api.add_router("/", reports_router)
    api.add_router("/", oblast_router)
    api.add_router("/", timing_router)


_mount()
