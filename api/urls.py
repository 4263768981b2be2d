"""Routes of the Close-compatible API, mounted at /api/v1/: those the apps' API modules declare
(api/registry.py), in the order `settings.API_MODULES` lists them, deeper prefixes first:
`activity/call/search` is matched before `activity/call`, whose `{id}` would take "search".

Every path works with and without its trailing slash, so no request is ever redirected.
"""

from django.urls import re_path
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.viewsets import ViewSetMixin

from api import registry


class ApiRootView(APIRootView):
    """closecalls' Close-compatible API. Every path also works without its trailing slash."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # reverse() leaves an optional slash out; link to the canonical paths, which have it.
        response.data = {name: url + "/" for name, url in response.data.items()}
        return response


class OptionalSlashRouter(DefaultRouter):
    """Routes matching with or without the trailing slash (DRF's own argument is a boolean);
    the root lists the single paths too (`me/`), but those with parameters.

    A viewset with a `bulk_update` action also answers PUT on its list, as Close's bulk updates
    (`PUT /task/?<filters>`) do; the others answer it 405, as before.
    """

    APIRootView = ApiRootView
    include_format_suffixes = False
    routes = [
        route._replace(mapping={**route.mapping, "put": "bulk_update"})
        if route.name == "{basename}-list"
        else route
        for route in DefaultRouter.routes
    ]

    def __init__(self, single_paths=()):
        super().__init__()
        self.trailing_slash = "/?"
        self.single_paths = [(prefix, name) for prefix, name in single_paths if "(" not in prefix]

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        api_root_dict = {
            prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry
        }
        api_root_dict.update(self.single_paths)
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


app_name = "api"

routes = sorted(registry.routes(), key=lambda route: -route.prefix.count("/"))
singles = [route for route in routes if not issubclass(route.view, ViewSetMixin)]
router = OptionalSlashRouter((route.prefix, route.name) for route in singles)
for route in routes:
    if issubclass(route.view, ViewSetMixin):
        router.register(route.prefix, route.view, basename=route.name)
single_paths = [
    re_path(rf"^{route.prefix}/?$", route.view.as_view(), name=route.name) for route in singles
]

urlpatterns = [*single_paths, *router.urls]
