"""API for exporting and importing the whole catalog (CSV, XLSX, JSON). Mounted by vikno/api.py."""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from vikno.core.api_errors import ApiError
from vikno.core.apiauth import staff_auth
from vikno.core.audit import actor_from_request
from vikno.core.errors import DomainError, PermissionDenied
from vikno.core.scoping import Role

from . import importers

router = Router(tags=["catalog"])

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "json"] = Field(
        "csv", description="csv: one row per service; xlsx: services plus reference sheets; json: everything."
    )


class ImportReportOut(Schema):
    created: dict[str, int] = Field(description="New rows by kind.", examples=[{"services": 2}])
    updated: dict[str, int] = Field(description="Changed rows by kind; a changed service gets a new version.")
    unchanged: dict[str, int] = Field(description="Rows equal to what is stored.", examples=[{"services": 155}])
    summary: list[str] = Field(description="The same in Ukrainian sentences.")


class ImportErrorOut(ApiError):
    problems: list[str] = Field(
        default_factory=list,
        description="Every bad row: file or sheet, line, field and reason. Nothing was imported.",
        examples=[["CSV, рядок 3, поле sphere_code: невідома сфера «XYZ»"]],
    )


@router.get(
    "/catalog/export",
    auth=staff_auth,
    summary="Експорт каталогу послуг",
    description=(
        "Увесь каталог: послуги (чинні сьогодні версії з документами та ТК) у форматі CSV, XLSX або JSON. "
        "XLSX і JSON містять також сфери, життєві ситуації, правила збору і прожитковий мінімум."
    ),
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The catalog file.",
                "content": {
                    # JSON is the catalog document itself; CSV and XLSX are files.
                    ct.split(";")[0]: {
                        "schema": {"type": "object"} if fmt == "json" else {"type": "string", "format": "binary"}
                    }
                    for fmt, ct in CONTENT_TYPES.items()
                },
            }
        }
    },
)
def export_catalog(request, query: Query[ExportQuery]):
    content = importers.export_catalog(query.format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[query.format])
    response["Content-Disposition"] = f'attachment; filename="vikno-catalog.{query.format}"'
    return response


@router.post(
    "/catalog/import",
    auth=staff_auth,
    summary="Імпорт каталогу послуг",
    description=(
        "Лише для системного адміністратора. Файл у форматі експорту (CSV, XLSX або JSON); формат береться з "
        "параметра `format` або з розширення файлу. Усе або нічого: якщо хоч один рядок хибний, нічого не "
        "змінюється, а відповідь 400 перелічує всі помилки. Змінена послуга отримує нову версію."
    ),
    response={200: ImportReportOut, 400: ImportErrorOut, 403: ApiError},
)
def import_catalog(
    request,
    file: File[UploadedFile],
    format: Literal["csv", "xlsx", "json"] | None = None,
):
    if getattr(request.user, "role", None) != Role.SYSADMIN:
        raise PermissionDenied("Імпортувати каталог може лише системний адміністратор.")
    fmt = format or PurePath(file.name or "").suffix.lower().lstrip(".")
    if fmt not in importers.FORMATS:
        raise DomainError("Вкажіть формат файлу: csv, xlsx або json.", code="invalid_format", field="format")
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise DomainError("Файл завеликий: не більше 20 МБ.", code="file_too_large", field="file")
    report = importers.import_catalog(file, fmt, actor=actor_from_request(request))
    return {**report.as_dict(), "summary": report.lines()}
