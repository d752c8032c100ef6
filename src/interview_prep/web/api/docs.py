"""The OpenAPI description made readable: endpoints, parameters and body fields for ``/docs``.

FastAPI's own docs page loads Swagger UI from a CDN, which an offline app cannot reach; this page
is rendered by the app from the same ``/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    where: str
    type: str
    required: bool
    description: str
    default: str = ""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)
    answer: list[Field] = field(default_factory=list)
    """The fields of the JSON a successful call answers with, where the description has them."""

    @property
    def anchor(self) -> str:
        return (self.method.lower() + self.path).replace("/", "-").replace("{", "").replace("}", "")


def describe_type(
    schema: dict[str, Any], spec: dict[str, Any] | None = None, *, null: str = "optional"
) -> str:
    """A short human form of a JSON Schema: ``string``, ``integer (1 to 500)``, ``easy | hard``.

    A reference is followed into ``spec``'s components when it names an enumeration. A type
    that may be null says so in brackets with ``null``: "optional" for what is sent, "or null"
    for a field that an answer always has.
    """
    if "$ref" in schema:
        resolved = _resolve(spec or {}, schema)
        if "enum" in resolved:
            return describe_type(resolved)
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [describe_type(option, spec) for option in schema["anyOf"]]
        return " or ".join(kind for kind in kinds if kind != "null") + (
            f" ({null})" if "null" in kinds else ""
        )
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"array of {describe_type(schema.get('items', {}), spec)}"
    limits = []
    if "minimum" in schema or "maximum" in schema:
        limits.append(f"{schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if "maxLength" in schema:
        limits.append(f"up to {schema['maxLength']} characters")
    return f"{kind} ({', '.join(limits)})" if limits else kind


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in schema:
        return schema
    name = str(schema["$ref"]).rsplit("/", 1)[-1]
    resolved: dict[str, Any] = spec.get("components", {}).get("schemas", {}).get(name, {})
    return resolved


def _body_fields(spec: dict[str, Any], operation: dict[str, Any]) -> list[Field]:
    content = operation.get("requestBody", {}).get("content", {})
    return _fields(spec, content.get("application/json", {}).get("schema", {}), "body")


def _answer_fields(spec: dict[str, Any], operation: dict[str, Any]) -> list[Field]:
    ok = operation.get("responses", {}).get("200", {})
    return _fields(spec, ok.get("content", {}).get("application/json", {}).get("schema", {}), "")


def _fields(spec: dict[str, Any], schema: dict[str, Any], where: str) -> list[Field]:
    # What is sent may be left out; what is answered is always there, null or not.
    null = "or null" if not where else "optional"
    schema = _resolve(spec, schema)
    required = set(schema.get("required", ()))
    return [
        Field(
            name=name,
            where=where,
            type=describe_type(prop, spec, null=null),
            required=name in required,
            description=str(prop.get("description", "")),
            default="" if prop.get("default") is None else str(prop["default"]),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def endpoints(spec: dict[str, Any]) -> list[Endpoint]:
    """Every operation of an OpenAPI description, in the order it lists them."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                Field(
                    name=str(param["name"]),
                    where=str(param.get("in", "")),
                    type=describe_type(param.get("schema", {}), spec),
                    required=bool(param.get("required")),
                    description=str(
                        param.get("description") or param.get("schema", {}).get("description", "")
                    ),
                    default=""
                    if param.get("schema", {}).get("default") is None
                    else str(param["schema"]["default"]),
                )
                for param in operation.get("parameters", [])
            ]
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    summary=str(operation.get("summary", "")),
                    description=str(operation.get("description", "")),
                    parameters=parameters,
                    body=_body_fields(spec, operation),
                    answer=_answer_fields(spec, operation),
                    responses=[
                        (str(code), str(response.get("description", "")))
                        for code, response in operation.get("responses", {}).items()
                    ],
                )
            )
    return found
