from django.urls import path

from bounties import views

app_name = "bounties"

urlpatterns = [
    path("questions/<int:pk>/bounty/", views.bounty_start, name="start"),
    path("questions/<int:pk>/bounties/", views.question_bounties, name="question"),
    path("answers/<int:pk>/award-bounty/", views.bounty_award, name="award"),
    path("users/<int:pk>/<str:slug>/bounties/", views.member_bounties, name="member"),
]
