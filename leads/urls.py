from django.urls import path

from leads import views

app_name = "leads"
urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("<str:lead_id>/", views.lead_detail, name="detail"),
    path("<str:lead_id>/edit/", views.lead_edit, name="edit"),
    path("<str:lead_id>/delete/", views.lead_delete, name="delete"),
    path("<str:lead_id>/contacts/new/", views.contact_create, name="contact_create"),
    path("<str:lead_id>/contacts/<str:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "<str:lead_id>/contacts/<str:contact_id>/delete/",
        views.contact_delete,
        name="contact_delete",
    ),
]
