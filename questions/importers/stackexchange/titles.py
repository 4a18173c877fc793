"""The titles Stack Exchange showed for bare links to questions of other sites, read from
the dump's rendered bodies and kept as `LinkedTitle`, so that a post keeps them when an
edit renders its Markdown with our pipeline (questions/markdown_links.py).

A dump of a meta site links its main site's questions, whose titles no file of that dump
holds: only the Body Stack Exchange rendered shows them, as the text of the bare link. A
link written with its own text (`[see here](https://…/q/5)`) names no title and is not
read. Comments.xml holds the comments' Markdown only, no rendered text, so comments give
none.
"""

import re
from html.parser import HTMLParser

from questions.importers.stackexchange.rows import batched
from questions.markdown_links import question_id_in, question_key
from questions.models import LinkedTitle, Post

# A URL standing bare in Markdown: not the target of [text](url), <url>, [id]: url, nor an
# attribute of written HTML.
BARE_URL = re.compile(r"(?<![(<\"'=])(?<!\]: )https?://[^\s<>\"')\]]+")
TITLE_LENGTH = LinkedTitle._meta.get_field("title").max_length


class _Anchors(HTMLParser):
    """Links whose text is not their URL: (href, text) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href") or "", ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.anchors.append(tuple(self._open))
            self._open = None


def titled_links(html, markdown=None):
    """{(host, question id): title} of the links to questions in rendered `html` that show
    a text other than their URL. With the `markdown` it was rendered from, only those whose
    question stands there as a bare URL: the titles Stack Exchange gave, not texts the
    author wrote."""
    bare = None
    if markdown is not None:
        bare = {question_id_in(match[0]) for match in BARE_URL.finditer(markdown)}
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    titles = {}
    for href, text in parser.anchors:
        found = question_id_in(href)
        title = " ".join(text.split())
        if not found or not title or title == href.strip():
            continue
        if bare is None or found in bare:
            titles.setdefault(found, title)
    return titles


def import_linked_titles(state):
    """Keeps the titles this run's posts show for bare links to questions elsewhere; a
    question whose title is kept already keeps it (a re-import adds nothing)."""
    created = 0
    new_post_pks = sorted(state.post_pk(post_id) for post_id in state.new_posts)
    for batch in batched(new_post_pks):
        posts = Post.objects.filter(pk__in=batch, body_html__contains="://").only(
            "id", "body_html", "body_markdown"
        )
        found = {}
        for post in posts:
            for (host, number), title in titled_links(post.body_html, post.body_markdown).items():
                if len(title) <= TITLE_LENGTH:
                    found.setdefault(question_key(host, number), title)
        present = set(LinkedTitle.objects.filter(url__in=found).values_list("url", flat=True))
        LinkedTitle.objects.bulk_create(
            LinkedTitle(url=url, title=title)
            for url, title in sorted(found.items())
            if url not in present
        )
        created += len(found.keys() - present)
    state.say(f"Titles of linked questions elsewhere: {created} kept")
