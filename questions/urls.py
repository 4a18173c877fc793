from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("questions/<int:pk>/", views.question_detail, name="detail_noslug"),
    path("questions/<int:pk>/<str:slug>/", views.question_detail, name="detail"),
    path("questions/tagged/<str:tag>/", views.tagged_questions, name="tagged"),
    path("q/<int:pk>", views.question_permalink, name="question_permalink"),
    path("a/<int:pk>", views.answer_permalink, name="answer_permalink"),
    path("tags/", views.tag_list, name="tags"),
]
