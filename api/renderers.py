"""JSON out through orjson: the API's objects are plain dicts and lists, so this is the hot path."""

from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer


def _default(value):
    """Encode what orjson does not know: lazy translations and decimals, as strings."""
    if isinstance(value, Promise | Decimal):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        # The browsable API asks for an indented rendering of the same data.
        indent = "indent=" in (accepted_media_type or "") or (renderer_context or {}).get("indent")
        return orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2 if indent else 0)
