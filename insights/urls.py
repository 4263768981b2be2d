from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.insights, name="page"),
    path("<str:name>.csv", views.insights_csv, name="csv"),
]
