"""sitemap.xml: every listed question, with its last activity, and every tag in use, each
with its language versions (hreflang) as the page itself links them.

The framework splits a section into pages of 50,000 addresses."""

from django.contrib.sitemaps import Sitemap

from questions import selectors
from questions.structured_data import language_alternates


class LanguageVersions:
    """Each address with its language versions as `<xhtml:link rel="alternate" hreflang>`
    (Django's sitemap template writes an entry's `alternates`). The framework's own
    alternates are for languages in the URL's path; this site names them with `?lang=`
    (questions.structured_data), so they are the ones the page's own head lists."""

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["alternates"] = [
                {"lang_code": code, "location": location}
                for code, location in language_alternates(url["location"])
            ]
        return urls


class QuestionSitemap(LanguageVersions, Sitemap):
    def items(self):
        return selectors.sitemap_questions()

    def lastmod(self, question):
        return question.last_activity_at

    def get_latest_lastmod(self):
        # The framework's own would load every question for the sitemap index.
        return selectors.sitemap_questions_last_activity()


class TagSitemap(LanguageVersions, Sitemap):
    def items(self):
        return selectors.sitemap_tags()


SITEMAPS = {"questions": QuestionSitemap, "tags": TagSitemap}
