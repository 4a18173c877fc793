from django.urls import path

from badges import views

app_name = "badges"

urlpatterns = [
    path("help/badges/", views.badge_list, name="list"),
    path("badges/<int:pk>/<str:slug>/", views.badge_detail, name="detail"),
    path("badges/awards/<int:pk>/", views.award_detail, name="award"),
    path("users/<int:pk>/<str:slug>/badges/", views.user_badges, name="user"),
    path("q/<int:pk>/<int:user_id>", views.question_shared, name="share"),
]
