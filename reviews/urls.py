from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("posts/<int:pk>/suggest/", views.post_suggest, name="suggest"),
    path("review/", views.review_index, name="index"),
    path("review/history/", views.review_history, name="history"),
    path("review/suggestions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("review/task/<int:pk>/", views.task_detail, name="task"),
    path("review/task/<int:pk>/review/", views.task_review, name="task_review"),
    path("review/task/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("review/<slug:queue>/", views.review_queue, name="queue"),
]
