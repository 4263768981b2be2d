from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<str:import_id>/", views.import_detail, name="detail"),
    path("<str:import_id>/import/", views.import_commit, name="commit"),
    path("<str:import_id>/revert/", views.import_revert, name="revert"),
    path("<str:import_id>/progress/", views.import_progress, name="progress"),
    path("<str:import_id>/errors.csv", views.import_errors, name="errors"),
]
