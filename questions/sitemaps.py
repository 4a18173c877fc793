"""sitemap.xml: every listed question, with its last activity, and every tag in use.

The framework splits a section into pages of 50,000 addresses."""

from django.contrib.sitemaps import Sitemap

from questions import selectors


class QuestionSitemap(Sitemap):
    def items(self):
        return selectors.sitemap_questions()

    def lastmod(self, question):
        return question.last_activity_at

    def get_latest_lastmod(self):
        # The framework's own would load every question for the sitemap index.
        return selectors.sitemap_questions_last_activity()


class TagSitemap(Sitemap):
    def items(self):
        return selectors.sitemap_tags()


SITEMAPS = {"questions": QuestionSitemap, "tags": TagSitemap}
