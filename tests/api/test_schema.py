"""The published OpenAPI schema tells clients the truth: each key once, each model under its own name,
and every error status an operation can give, with the one error body. (That the answers match it is
checked by test_fuzz.py.)"""

from __future__ import annotations

import json

import pytest


@pytest.mark.django_db
def test_openapi_schema_has_each_key_once(client):
    """Python's JSON reader keeps the last of two equal keys; a client generator may keep the first."""

    def no_repeats(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"repeated keys: {sorted(k for k in keys if keys.count(k) > 1)}"
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_repeats)


def test_api_schemas_have_distinct_names():
    """The published schema names each model by its class name: two classes of one name would show one
    operation the other's fields (it happened to /spheres, documented with the report's sphere figures)."""
    from ninja import Schema

    import vikno.api  # noqa: F401 — every router, and so every API schema, is imported

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, str] = {}
    clashes = []
    for cls in subclasses(Schema):
        if cls.__module__.startswith("vikno."):
            where = f"{cls.__module__}.{cls.__qualname__}"
            if seen.setdefault(cls.__name__, where) != where:
                clashes.append((seen[cls.__name__], where))
    assert not clashes


@pytest.mark.django_db
def test_every_operation_documents_the_error_statuses_it_can_give(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            expected = {"400"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            assert expected <= set(operation["responses"]), (method, path)
            for status in expected:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
                assert {"code", "message"} <= set(body["required"]), (method, path, status)
