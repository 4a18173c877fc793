from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/", views.user_profile, name="profile_noslug"),
    path("users/<int:pk>/<str:slug>/", views.user_profile, name="profile"),
]
