"""The site's answers to the Markdown dialect (core.markdown_sitelinks): tags' pages, and
the titles of questions that bare links point at, registered in QuestionsConfig.ready().
A bare link to another site's question that no import brought here shows the title Stack
Exchange showed for it where an imported post linked it (`LinkedTitle`)."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import BigIntegerField, CharField, Q, Value

from core.markdown_sitelinks import SiteLinks
from core.urls_cache import cached_reverse
from questions.models import LinkedTitle, Post

# /questions/12/slug, /questions/12, /q/12 and /q/12/345 (Stack Exchange's share links).
QUESTION_PATH = re.compile(r"/(?:questions|q)/(\d+)(?:/[^/]*)*/?")


def question_id_in(url):
    """(host, question id) of a URL that leads to a question, else None."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    match = QUESTION_PATH.fullmatch(parts.path)
    if not match:
        return None
    return parts.hostname.lower(), int(match.group(1))


def question_key(host, number):
    """A question's address in the short form imports keep (Post.source_url, LinkedTitle)."""
    return f"https://{host}/q/{number}"


class QuestionLinks(SiteLinks):
    """Tags link to their pages here. A bare link to one of this site's questions, or to
    the original of an imported one (its source_url), shows the question's title and leads
    to it here; deleted questions keep their URL."""

    def tag_url(self, name, *, meta=False):
        return cached_reverse("questions:tagged", tag=name)

    def question_links(self, urls):
        """One query: this site's questions, the imported ones, and the titles kept for
        other sites' questions (a question here wins over a kept title)."""
        own_host = (urlsplit(settings.FORUM_SITE_URL).hostname or "").lower()
        local, imported = {}, {}
        for url in urls:
            found = question_id_in(url)
            if found is None:
                continue
            host, number = found
            if host == own_host:
                local.setdefault(number, []).append(url)
            else:
                for scheme in ("https", "http"):
                    imported.setdefault(f"{scheme}://{host}/q/{number}", []).append(url)
        if not local and not imported:
            return {}
        rows = (
            Post.objects.questions()
            .visible()
            .filter(Q(pk__in=local.keys()) | Q(source_url__in=imported.keys()))
            .values_list("pk", "title", "slug", "source_url")
        )
        if imported:
            kept = LinkedTitle.objects.filter(url__in=imported.keys()).values_list(
                Value(None, output_field=BigIntegerField()),
                "title",
                Value("", output_field=CharField()),
                "url",
            )
            rows = rows.union(kept, all=True)
        links, titled = {}, {}
        for pk, title, slug, source_url in rows:
            if pk is None:
                titled[source_url] = title
                continue
            href = Post(pk=pk, post_type=Post.PostType.QUESTION, slug=slug).get_absolute_url()
            for url in local.get(pk, []) + imported.get(source_url, []):
                links[url] = (title, href)
        for key, title in titled.items():
            for url in imported[key]:
                links.setdefault(url, (title, url))
        return links
