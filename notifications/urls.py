from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/achievements/", views.achievements, name="achievements"),
    path("inbox/settings/", views.email_settings, name="settings"),
    path("inbox/unread/", views.unread_count, name="unread_count"),
    path("inbox/<int:pk>/unread/", views.entry_unread, name="entry_unread"),
    path("posts/<int:pk>/follow/", views.post_follow, name="follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe_link, name="unsubscribe"),
]
