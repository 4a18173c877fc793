from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.webhook_list, name="list"),
    path("webhooks/new/", views.webhook_new, name="new"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="detail"),
    path("webhooks/<int:pk>/secret/", views.webhook_secret, name="secret"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="delete"),
]
