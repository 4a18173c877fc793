"""Atom feeds: the newest questions, a tag's newest questions, and a thread's answers."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from questions import selectors
from questions.models import Tag
from questions.templatetags.forum import excerpt

FEED_LENGTH = 30


class PostAtomFeed(Atom1Feed):
    """Atom whose entries carry the post's stored (sanitised) HTML as their content and
    its plain-text start as their summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("summary", item["summary"], {"type": "text"})
        handler.addQuickElement("content", item["content"], {"type": "html"})


class PostFeed(Feed):
    feed_type = PostAtomFeed

    def __call__(self, request, *args, **kwargs):
        # A feed is one document for every reader, in the language its posts are written
        # in: the site's, not the one a browser asks for.
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def item_description(self, item):
        # The summary and the content are written by PostAtomFeed.
        return None

    def item_extra_kwargs(self, item):
        return {"summary": excerpt(item.body_html), "content": item.body_html}

    def item_author_name(self, item):
        return item.author_name or None

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_edited_at or item.created_at


class QuestionFeed(PostFeed):
    def item_title(self, item):
        return item.title

    def item_categories(self, item):
        return [tag.name for tag in item.shown_tags]


class NewestQuestionsFeed(QuestionFeed):
    def title(self):
        return _("Stapel: newest questions")

    def link(self):
        return reverse("questions:list") + "?tab=newest"

    def items(self):
        return selectors.feed_questions(limit=FEED_LENGTH)


class TagFeed(QuestionFeed):
    def get_object(self, request, tag):
        return get_object_or_404(Tag, name=tag)

    def title(self, tag):
        return _("Stapel: newest questions tagged [%(tag)s]") % {"tag": tag.name}

    def link(self, tag):
        return tag.get_absolute_url() + "?tab=newest"

    def subtitle(self, tag):
        return tag.excerpt or None

    def items(self, tag):
        return selectors.feed_questions(tag=tag, limit=FEED_LENGTH)


class ThreadAnswersFeed(PostFeed):
    def get_object(self, request, pk):
        return selectors.visible_question(pk=pk)

    def title(self, question):
        return _("Answers to: %(title)s") % {"title": question.title}

    def link(self, question):
        return question.get_absolute_url()

    def items(self, question):
        return selectors.feed_answers(question=question, limit=FEED_LENGTH)

    def item_title(self, item):
        return _("Answer by %(author)s") % {"author": item.author_name or _("an unknown user")}
