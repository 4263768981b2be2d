from django.urls import path

from transcription import views

app_name = "transcription"
urlpatterns = [
    path("calls/<str:call_id>/transcribe/", views.transcribe, name="transcribe"),
    path("calls/<str:call_id>/transcription/", views.panel, name="panel"),
]
