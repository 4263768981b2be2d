from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import AdminSignInForm

admin.site.login_form = AdminSignInForm  # throttled, as the site's own sign-in


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to (the API's JSON, a file)."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("home.urls")),
    path("accounts/", include("accounts.urls")),
    path("leads/", include("leads.urls")),
    path("", include("search.urls")),
    path("insights/", include("insights.urls")),
    path("imports/", include("imports.urls")),
    path("", include("transcription.urls")),  # before activities': calls/<id>/<audio kind>/
    path("", include("activities.urls")),
    path("", include("followups.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/docs.html"),
        name="api_docs",
    ),
]

# JSON under /api/, Django's own pages elsewhere.
handler400 = "closecalls.errors.bad_request"
handler404 = "closecalls.errors.page_not_found"
handler500 = "closecalls.errors.server_error"
