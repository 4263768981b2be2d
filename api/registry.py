"""Where the API meets the apps: the modules `settings.API_MODULES` names, in that order.

api/ is the Close dialect kit and imports no app. Each app declares what it adds to the API in
its own `api.py`, beside the representations of its objects:

- `ROUTES`, a list of `Route`: the endpoints it serves under /api/v1/ (collected by api/urls.py);
- `COMPONENTS`, {name: JSON schema}: the OpenAPI components of the objects those endpoints
  answer with, usually `representation.schema()` (collected by api/schema.py).

A new app joins the API by adding its module to the setting.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Route:
    """An endpoint at `prefix` (a regular expression, without slashes at its ends): a viewset,
    registered on the router, or a view of that one path."""

    prefix: str
    view: type
    name: str


def api_modules():
    return [import_module(path) for path in settings.API_MODULES]


def routes():
    return [route for module in api_modules() for route in getattr(module, "ROUTES", ())]


def components():
    """Return every app's OpenAPI components; two apps may not describe the same name."""
    collected = {}
    for module in api_modules():
        for name, schema in getattr(module, "COMPONENTS", {}).items():
            if name in collected:
                raise ImproperlyConfigured(f"Two API modules describe the component {name!r}.")
            collected[name] = schema
    return collected
