from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from core.events import subscribe
        from moderation import events, subscribers
        from moderation.selectors import ThreadModeration
        from questions.selectors.thread import thread_addition_register

        thread_addition_register(ThreadModeration())
        for event in [
            events.FlagRaised,
            events.FlagSettled,
            events.EscalationRaised,
            events.EscalationResolved,
        ]:
            subscribe(event, subscribers.pending_work_changed)
