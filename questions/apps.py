from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions and answers")

    def ready(self):
        from core.events import subscribe
        from core.markdown_sitelinks import site_links_register
        from questions import caching, events
        from questions.markdown_links import QuestionLinks
        from questions.selectors.hot import hot_questions_renew

        subscribe(events.PostChanged, caching.post_changed)
        subscribe(events.TagDescribed, caching.tag_changed)
        subscribe(events.PostDeleted, hot_questions_renew)
        site_links_register(QuestionLinks())
