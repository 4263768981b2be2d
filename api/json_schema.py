"""JSON Schema builders, in the OpenAPI 3.0 dialect drf-spectacular writes (`nullable: true`).

The API's objects are described with these once, key by key, beside their representations
(api/representations.py); the OpenAPI components and the tests' expectations are built from
those descriptions.
"""


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def string(**extra):
    return {"type": "string", **extra}


def integer(**extra):
    return {"type": "integer", **extra}


def number(**extra):
    return {"type": "number", **extra}


def boolean(**extra):
    return {"type": "boolean", **extra}


def array(items, **extra):
    return {"type": "array", "items": items, **extra}


def nullable(schema):
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


def date_time(**extra):
    return string(format="date-time", example="2026-11-24T14:35:08.272000+00:00", **extra)


def choices(choices, **extra):
    """A string among the values of Django `choices` (a TextChoices' `.choices`)."""
    return string(enum=[value for value, _ in choices], **extra)


def object_schema(properties, *, required=("id",), description=None, closed=True):
    """An object with `properties`. A `closed` one has no key but those, so that a response
    carrying an undocumented key fails the schema (and the fuzzing, tests/api)."""
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema
