from django.urls import path

from moderation import views

app_name = "moderation"

# At the site's root, next to the posts' own actions; /moderation/ is the moderators'
# admin site.
urlpatterns = [
    path("posts/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment_flag"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/undelete/", views.comment_undelete, name="comment_undelete"),
    path("posts/<int:pk>/delete/", views.post_delete, name="delete"),
    path("posts/<int:pk>/undelete/", views.post_undelete, name="undelete"),
    path("posts/<int:pk>/moderate/<str:action>/", views.post_moderate, name="moderate"),
    path("posts/<int:pk>/appeal/", views.post_appeal, name="appeal"),
    path("questions/<int:pk>/close/", views.question_close, name="close"),
    path("questions/<int:pk>/reopen/", views.question_reopen, name="reopen"),
    path("users/<int:pk>/<str:slug>/flags/", views.user_flags, name="user_flags"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<int:pk>/read/", views.message_read, name="message_read"),
]
