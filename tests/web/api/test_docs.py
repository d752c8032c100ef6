"""The OpenAPI description made readable for the offline ``/docs`` page."""

from __future__ import annotations

from interview_prep.web.api.docs import describe_type, endpoints

SPEC = {
    "components": {"schemas": {"Level": {"enum": ["easy", "hard"], "type": "string"}}},
    "paths": {
        "/api/things": {
            "get": {
                "summary": "Things",
                "parameters": [
                    {
                        "name": "level",
                        "in": "query",
                        "schema": {
                            "anyOf": [{"$ref": "#/components/schemas/Level"}, {"type": "null"}]
                        },
                        "description": "How hard.",
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 5, "default": 2},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["count", "level"],
                                    "properties": {
                                        "count": {"type": "integer", "description": "How many."},
                                        "level": {
                                            "anyOf": [
                                                {"$ref": "#/components/schemas/Level"},
                                                {"type": "null"},
                                            ]
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "404": {"description": "Gone"},
                },
            }
        }
    },
}


def test_types_read_as_words() -> None:
    assert describe_type({"type": "string", "maxLength": 9}) == "string (up to 9 characters)"
    assert describe_type({"type": "array", "items": {"type": "integer"}}) == "array of integer"
    assert describe_type({"$ref": "#/components/schemas/Other"}) == "Other"
    level = {"anyOf": [{"$ref": "#/components/schemas/Level"}, {"type": "null"}]}
    assert describe_type(level, SPEC) == "easy | hard (optional)"


def test_endpoints_list_parameters_defaults_and_responses() -> None:
    [endpoint] = endpoints(SPEC)
    assert (endpoint.method, endpoint.path, endpoint.summary) == ("GET", "/api/things", "Things")
    assert [(f.name, f.type, f.required, f.default) for f in endpoint.parameters] == [
        ("level", "easy | hard (optional)", False, ""),
        ("limit", "integer (1 to 5)", True, "2"),
    ]
    assert endpoint.responses == [("200", "OK"), ("404", "Gone")]
    assert [(f.name, f.type, f.required, f.description) for f in endpoint.answer] == [
        ("count", "integer", True, "How many."),
        ("level", "easy | hard (or null)", True, ""),
    ]
    assert endpoint.anchor == "get-api-things"
