from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls.csv", views.call_list_csv, name="call_list_csv"),
    path("leads/<str:lead_id>/calls/new/", views.call_create, name="call_create"),
    path("leads/<str:lead_id>/calls/quick/", views.call_quick_log, name="call_quick_log"),
    path("calls/<str:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<str:call_id>/edit/", views.call_edit, name="call_edit"),
    path("calls/<str:call_id>/delete/", views.call_delete, name="call_delete"),
    path("calls/<str:call_id>/undo/", views.call_undo, name="call_undo"),
    path("calls/<str:call_id>/transcript/", views.call_transcript, name="call_transcript"),
    path("calls/<str:call_id>/<str:kind>/", views.call_audio, name="call_audio"),
]
