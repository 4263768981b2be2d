from django.urls import path

from followups import views

app_name = "followups"
urlpatterns = [
    path("leads/<str:lead_id>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<str:task_id>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<str:task_id>/snooze/", views.task_snooze, name="task_snooze"),
]
