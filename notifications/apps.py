from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import subscribers
        from notifications.selectors import ThreadFollowing
        from questions.selectors.thread import thread_addition_register

        subscribers.register()
        thread_addition_register(ThreadFollowing())
