from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.policy, name="policy"),
    path("users/edit/privacy/", views.privacy_settings, name="settings"),
    path("users/edit/privacy/delete/", views.deletion_request, name="deletion_request"),
    path("users/edit/privacy/delete/cancel/", views.deletion_cancel, name="deletion_cancel"),
    path("users/edit/privacy/export/", views.export_request, name="export_request"),
    path("users/export/<str:token>/", views.export_download, name="export_download"),
    path("privacy/erase/", views.erase, name="erase"),
]
