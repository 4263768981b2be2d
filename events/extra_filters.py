"""Close's `extra_filter` on a webhook subscription's events: the part of it closecalls knows.

A filter is a JSON object whose `type` is one of:

- `equals` / `not_equals`, with a `value`: the whole value is (is not) that value;
- `contains`, with a `value`: a list holds that value, or a string holds it as a substring;
- `is_null` / `non_null`: the value is (is not) null; a field that is missing is null;
- `and` / `or`, with `filters` (a list of filters); `not`, with a `filter`;
- `field_accessor`, with a `field` (a key) and a `filter`: that filter, applied to the key's
  value in an object (null when the value is no object or has no such key);
- `any_array_value`, with a `filter`: a list one of whose values that filter matches.

A subscription's filter is applied to the event as it is delivered, e.g. the updates of a
call's note: `{"type": "field_accessor", "field": "changed_fields",
"filter": {"type": "contains", "value": "note"}}`. Any other key, a missing one, an unknown
type or a filter nested deeper than MAX_DEPTH is refused when the subscription is saved.
"""

MAX_DEPTH = 10
MAX_FILTERS = 100

# type -> the keys it takes besides `type`
SHAPES = {
    "equals": {"value"},
    "not_equals": {"value"},
    "contains": {"value"},
    "is_null": set(),
    "non_null": set(),
    "and": {"filters"},
    "or": {"filters"},
    "not": {"filter"},
    "field_accessor": {"field", "filter"},
    "any_array_value": {"filter"},
}


class InvalidFilter(ValueError):
    """The filter is not one of the grammar above; the message says where and why."""


def validate(extra_filter):
    """Raise InvalidFilter unless `extra_filter` follows the grammar above."""
    if _holds_nul(extra_filter):
        raise InvalidFilter("extra_filter cannot hold NUL characters.")
    pending = [(extra_filter, 1, "extra_filter")]
    seen = 0
    while pending:
        node, depth, where = pending.pop()
        seen += 1
        if seen > MAX_FILTERS:
            raise InvalidFilter(f"extra_filter has more than {MAX_FILTERS} filters.")
        if depth > MAX_DEPTH:
            raise InvalidFilter(f"extra_filter is nested deeper than {MAX_DEPTH} filters.")
        if not isinstance(node, dict):
            raise InvalidFilter(f"{where} must be an object with a type.")
        kind = node.get("type")
        if not isinstance(kind, str) or kind not in SHAPES:
            known = ", ".join(sorted(SHAPES))
            raise InvalidFilter(f"{where}: the type must be one of {known}.")
        expected = SHAPES[kind]
        missing = expected - node.keys()
        extra = node.keys() - expected - {"type"}
        if missing:
            raise InvalidFilter(f"{where}: a {kind} filter needs {', '.join(sorted(missing))}.")
        if extra:
            raise InvalidFilter(f"{where}: a {kind} filter takes no {', '.join(sorted(extra))}.")
        if kind == "field_accessor" and not isinstance(node["field"], str):
            raise InvalidFilter(f"{where}: field must be a string.")
        if "filter" in expected:
            pending.append((node["filter"], depth + 1, f"{where}.filter"))
        if "filters" in expected:
            if not isinstance(node["filters"], list) or not node["filters"]:
                raise InvalidFilter(f"{where}: filters must be a list of filters.")
            pending.extend(
                (child, depth + 1, f"{where}.filters[{index}]")
                for index, child in enumerate(node["filters"])
            )


def matches(extra_filter, value):
    """Return whether `value` (JSON: the event, or a part of it) matches the filter."""
    kind = extra_filter["type"]
    if kind == "equals":
        return _equal(value, extra_filter["value"])
    if kind == "not_equals":
        return not _equal(value, extra_filter["value"])
    if kind == "contains":
        wanted = extra_filter["value"]
        if isinstance(value, list):
            return any(_equal(item, wanted) for item in value)
        return isinstance(value, str) and isinstance(wanted, str) and wanted in value
    if kind == "is_null":
        return value is None
    if kind == "non_null":
        return value is not None
    if kind == "and":
        return all(matches(child, value) for child in extra_filter["filters"])
    if kind == "or":
        return any(matches(child, value) for child in extra_filter["filters"])
    if kind == "not":
        return not matches(extra_filter["filter"], value)
    if kind == "field_accessor":
        field = value.get(extra_filter["field"]) if isinstance(value, dict) else None
        return matches(extra_filter["filter"], field)
    if kind == "any_array_value":
        return isinstance(value, list) and any(
            matches(extra_filter["filter"], item) for item in value
        )
    raise InvalidFilter(f"Unknown filter type {kind!r}.")


def _holds_nul(value):
    """Whether any text in `value` holds a NUL, which PostgreSQL's jsonb cannot store."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _equal(a, b):
    """JSON equality: `true` is not `1`, as Python's `True == 1` would have it."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[key], b[key]) for key in a)
    return a == b
