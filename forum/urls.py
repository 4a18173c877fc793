from django.contrib import admin
from django.urls import include, path

from forum import views

urlpatterns = [
    path("", include("questions.urls")),
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
]
