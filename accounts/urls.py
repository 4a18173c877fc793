from django.urls import path

from accounts import views

app_name = "accounts"

# The fixed paths cannot clash with the profiles (questions/urls.py, since they show a
# member's posts): those need a number after users/.
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/signup/", views.signup, name="signup"),
    path("users/signup/finish/<str:token>/", views.signup_finish, name="signup_finish"),
    path("users/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("users/verify-resend/", views.verification_resend, name="verification_resend"),
    path("users/login/", views.login, name="login"),
    path("users/logout/", views.logout, name="logout"),
    path("users/edit/", views.profile_edit, name="profile_edit"),
    path("users/edit/picture/", views.avatar_edit, name="avatar_edit"),
    path("users/password/", views.password_change, name="password_change"),
    path("users/password/done/", views.password_change_done, name="password_change_done"),
    path("users/password-reset/", views.password_reset, name="password_reset"),
    path("users/password-reset/done/", views.password_reset_done, name="password_reset_done"),
    path(
        "users/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("users/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("help/privileges/", views.privileges, name="privileges"),
]
