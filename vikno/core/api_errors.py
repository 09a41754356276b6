"""The API's error body everywhere under /api/: ``{"code", "message"}`` with the message in Ukrainian.

- :class:`ApiError` is that body's one schema; every router names it for its error statuses
  (:func:`error_responses`), and ``vikno.api`` adds the statuses any operation can give (400, 401,
  403, 404, 422) to the published schema, so what a client is told matches what it gets.

Two pieces the API's own exception handlers (vikno/api.py) cannot reach:

- :func:`field_message` words a pydantic validation error (the per-field ``errors`` of a 422) in
  Ukrainian; pydantic's own messages are English.
- :class:`ApiErrorBodyMiddleware` gives the same body to error responses made outside the API's
  handlers: a method the path does not take (405 from django-ninja, plain text), an address that
  does not exist (Django's 404 page), a CSRF refusal (403 page), a body over the upload limit, a
  server error. The status stays; only a non-JSON body is replaced.
"""

from __future__ import annotations

from django.http import JsonResponse
from ninja import Field, Schema

API_PREFIX = "/api/"


class FieldError(Schema):
    field: str = Field(
        ..., examples=["payment.amount"], description="The input, dot-separated; empty for the body as a whole."
    )
    type: str = Field(..., examples=["string_too_long"], description="pydantic's error type.")
    message: str = Field(..., examples=["Задовгий текст: не більше 80 симв."])


class ApiError(Schema):
    """The body of every error answer of the API."""

    code: str = Field(..., examples=["illegal_transition"], description="Stable code for programs.")
    message: str = Field(
        ...,
        examples=["Неможливо передати справу до СНАП: справа № 1-26-000001 має статус «Видано»."],
        description="What went wrong, in Ukrainian, for a person to read.",
    )
    field: str | None = Field(None, examples=["applicant_id"], description="The input the error is about, if one.")
    errors: list[FieldError] | None = Field(
        None,
        description="With `validation_error` (422): every invalid input. With a refusal that found several "
        "problems in one input (e.g. an applicant's details): all of them, the first being `code`/`field`; "
        "`type` is then the problem's code.",
    )


def error_responses(*statuses: int) -> dict[int, type[ApiError]]:
    """``response=`` entries for an operation's own error statuses."""
    return dict.fromkeys(statuses, ApiError)


# pydantic error type -> message; ``{…}`` names a key of the error's ``ctx``.
_MESSAGES = {
    "missing": "Обов’язкове поле.",
    "extra_forbidden": "Невідоме поле.",
    "json_invalid": "Тіло запиту не є коректним JSON.",
    "json_type": "Очікувався JSON.",
    "model_type": "Очікувався об’єкт.",
    "model_attributes_type": "Очікувався об’єкт.",
    "dict_type": "Очікувався об’єкт.",
    "list_type": "Очікувався список.",
    "tuple_type": "Очікувався список.",
    "set_type": "Очікувався список.",
    "string_type": "Очікувався текст.",
    "string_unicode": "Текст має бути в кодуванні UTF-8.",
    "string_too_short": "Закороткий текст: потрібно щонайменше {min_length} симв.",
    "string_too_long": "Задовгий текст: не більше {max_length} симв.",
    "string_pattern_mismatch": "Значення не відповідає формату.",
    "int_type": "Очікувалося ціле число.",
    "int_parsing": "Очікувалося ціле число.",
    "int_parsing_size": "Число завелике.",
    "int_from_float": "Очікувалося ціле число, без дробової частини.",
    "float_type": "Очікувалося число.",
    "float_parsing": "Очікувалося число.",
    "finite_number": "Очікувалося скінченне число.",
    "decimal_type": "Очікувалося число.",
    "decimal_parsing": "Очікувалося число.",
    "decimal_max_digits": "Забагато цифр: не більше {max_digits}.",
    "decimal_max_places": "Забагато знаків після коми: не більше {decimal_places}.",
    "decimal_whole_digits": "Забагато цифр до коми: не більше {whole_digits}.",
    "bool_type": "Очікувалося true або false.",
    "bool_parsing": "Очікувалося true або false.",
    "date_type": "Очікувалася дата у форматі РРРР-ММ-ДД.",
    "date_parsing": "Очікувалася дата у форматі РРРР-ММ-ДД.",
    "date_from_datetime_parsing": "Очікувалася дата у форматі РРРР-ММ-ДД.",
    "date_from_datetime_inexact": "Очікувалася дата без часу.",
    "datetime_type": "Очікувалися дата й час у форматі ISO 8601 (РРРР-ММ-ДДTГГ:ХХ).",
    "datetime_parsing": "Очікувалися дата й час у форматі ISO 8601 (РРРР-ММ-ДДTГГ:ХХ).",
    "datetime_from_date_parsing": "Очікувалися дата й час у форматі ISO 8601 (РРРР-ММ-ДДTГГ:ХХ).",
    "time_type": "Очікувався час у форматі ГГ:ХХ.",
    "time_parsing": "Очікувався час у форматі ГГ:ХХ.",
    "uuid_type": "Очікувався UUID.",
    "uuid_parsing": "Очікувався UUID.",
    "url_parsing": "Очікувалася адреса (URL).",
    "url_type": "Очікувалася адреса (URL).",
    "greater_than": "Значення має бути більше за {gt}.",
    "greater_than_equal": "Значення має бути не менше за {ge}.",
    "less_than": "Значення має бути менше за {lt}.",
    "less_than_equal": "Значення має бути не більше за {le}.",
    "multiple_of": "Значення має бути кратним {multiple_of}.",
    "too_short": "Замало елементів: потрібно щонайменше {min_length}.",
    "too_long": "Забагато елементів: не більше {max_length}.",
    "enum": "Недопустиме значення. Можливі: {expected}.",
    "literal_error": "Недопустиме значення. Можливі: {expected}.",
    "union_tag_invalid": "Недопустиме значення. Можливі: {expected_tags}.",
    "bytes_type": "Очікувався файл або текст.",
    "value_error": "Некоректне значення.",
    "assertion_error": "Некоректне значення.",
}
_FALLBACK = "Некоректне значення."
_CYRILLIC = frozenset("АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя")


def field_message(error: dict) -> str:
    """The Ukrainian message of one pydantic error (a dict of ``ValidationError.errors()``)."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise ValueError with a Ukrainian text: keep it.
        own = str(context.get("error", ""))
        if own and _CYRILLIC.intersection(own):
            return own
    template = _MESSAGES.get(kind, _FALLBACK)
    try:
        return template.format(**{key: _readable(value) for key, value in context.items()})
    except (KeyError, IndexError, ValueError):
        return _FALLBACK


def _readable(value) -> str:
    # pydantic words "expected" as "'a', 'b' or 'c'"; say "або" instead of "or".
    return str(value).replace(" or ", " або ")


# --- responses made outside the API's handlers --------------------------------------------------

_BY_STATUS = {
    400: ("bad_request", "Некоректний запит."),
    401: ("unauthorized", "Потрібна автентифікація: увійдіть або передайте дійсний токен."),
    403: ("forbidden", "Доступ заборонено."),
    404: ("not_found", "Не знайдено."),
    405: ("method_not_allowed", "Метод {method} не підтримується за цією адресою."),
    413: ("payload_too_large", "Запит завеликий."),
    415: ("unsupported_media_type", "Непідтримуваний тип даних запиту."),
    429: ("too_many_requests", "Забагато запитів; спробуйте пізніше."),
}


class ApiErrorBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
        ):
            return _as_json(request, response)
        return response


# English texts django-ninja raises as HttpError, in Ukrainian.
_NINJA_TEXTS = {
    "Cannot parse request body": ("invalid_body", "Тіло запиту не вдалося прочитати: очікувався коректний JSON."),
    "CSRF check Failed": (
        "csrf_failed",
        "Запит відхилено: бракує CSRF-токена сеансу. Машинні клієнти передають токен доступу.",
    ),
}


def status_body(status: int, method: str = "", text: str = "") -> dict:
    """The error body for ``status`` (``text``: the English text of django-ninja's HttpError, if any)."""
    if text in _NINJA_TEXTS:
        code, message = _NINJA_TEXTS[text]
    elif status >= 500:
        code, message = "server_error", "Внутрішня помилка сервера. Спробуйте пізніше або зверніться до адміністратора."
    else:
        code, message = _BY_STATUS.get(status, ("http_error", "Запит не виконано."))
    return {"code": code, "message": message.format(method=method)}


def _as_json(request, response):
    status = response.status_code
    body = status_body(status, request.method)
    allowed = response.get("Allow")
    if allowed:
        body["message"] += f" Дозволені методи: {allowed}."
    replaced = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    # Keep what the inner middlewares set (security headers, Allow, Vary, cookies); only the body
    # and its type and length change.
    for header, value in response.headers.items():
        if header.lower() not in ("content-type", "content-length"):
            replaced[header] = value
    replaced.cookies = response.cookies
    return replaced
