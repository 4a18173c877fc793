from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions and answers")

    def ready(self):
        from core.events import subscribe
        from questions import caching, events

        subscribe(events.PostChanged, caching.post_changed)
        subscribe(events.TagDescribed, caching.tag_changed)
