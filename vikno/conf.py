"""Settings read from environment variables, each carrying its own documentation.

Every variable is declared once with :func:`env`; ``manage.py configdocs`` writes
``docs/configuration.md`` from these declarations, and a test fails when the file is stale.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: Any
    doc: str
    group: str


REGISTRY: dict[str, EnvVar] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _to_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"expected a boolean, got {raw!r}")


def _to_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _to_bool, int: int, float: float, list: _to_list, str: str}


def env(name: str, default: Any, doc: str, *, cast: type | None = None, group: str = "General") -> Any:
    """Read ``name`` from the environment, cast to the type of ``default`` (or ``cast``)."""
    REGISTRY.setdefault(name, EnvVar(name=name, default=default, doc=doc, group=group))
    raw = os.environ.get(name)
    if raw is None:
        return default
    kind = cast or (type(default) if default is not None else str)
    try:
        return CASTS[kind](raw)
    except (KeyError, ValueError) as exc:
        raise RuntimeError(f"Environment variable {name}={raw!r} is invalid: {exc}") from exc


def render_markdown() -> str:
    """The text of docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "Vikno reads its settings from environment variables. This file is generated from the",
        "declarations in `vikno/settings/base.py` by `.venv/bin/python manage.py configdocs`;",
        "a test fails when it is out of date.",
        "",
    ]
    groups: dict[str, list[EnvVar]] = {}
    for var in REGISTRY.values():
        groups.setdefault(var.group, []).append(var)
    for group, items in groups.items():
        lines += [f"## {group}", "", "| variable | meaning | default |", "|---|---|---|"]
        for var in items:
            default = "(empty)" if var.default in (None, "", []) else f"`{_show(var.default)}`"
            lines.append(f"| `{var.name}` | {var.doc} | {default} |")
        lines.append("")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    text = str(value)
    # Paths are shown relative to the checkout, so the page is the same on every machine.
    text = text.replace(str(BASE_DIR.parent / "shared"), "../shared")
    return text.replace(str(BASE_DIR) + "/", "").replace(str(BASE_DIR), ".")
