from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="leads:list"), name="home"),
    path("accounts/", include("accounts.urls")),
    path("leads/", include("leads.urls")),
    path("", include("activities.urls")),
    path("api/v1/", include("api.urls")),
]

# JSON under /api/, Django's own pages elsewhere.
handler400 = "api.errors.bad_request"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
