"""How faithfully our Markdown renders Stack Exchange's: each post of a dump rendered from
its latest Markdown (PostHistory.xml) and compared with the HTML Stack Exchange rendered for
it (the Body in Posts.xml). Two renderings are the same when a reader sees the same text
(whitespace aside) and the same links lead to the same places; markup that does not change
either (attribute order, rel, classes, <b> or <strong>) is not compared.

`manage.py markdown_fidelity DUMP_DIR` prints the figures; docs/MARKDOWN.md has them.
"""

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from core.markdown import render_post
from core.markdown_sitelinks import SiteLinks, site_links_using
from questions.importers.stackexchange.rows import read_rows
from questions.importers.stackexchange.titles import titled_links
from questions.markdown_links import question_id_in

BODY_CHANGES = {"2", "5", "8"}  # PostHistoryTypeId: initial body, edit, rollback
QUESTION, ANSWER = "1", "2"
# Elements that end a run of text: "<p>a</p><p>b</p>" reads "a b", not "ab".
BREAKING = {
    *[
        "p",
        "div",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
    ],
    *["h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "img"],
}


class _Reading(HTMLParser):
    """What a reader gets from HTML: its text, its links' targets, its elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.targets = []
        self.elements = Counter()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements[tag] += 1
        if tag in BREAKING:
            self.text.append(" ")
        if tag == "a" and attributes.get("href") is not None:
            self.targets.append(normalised_target(attributes["href"]))
        elif tag == "img":
            self.targets.append(normalised_target(attributes.get("src") or ""))

    def handle_endtag(self, tag):
        if tag in BREAKING:
            self.text.append(" ")

    def handle_data(self, data):
        self.text.append(data)


def normalised_target(url):
    """A link's target as compared: a tag's page is the tag, wherever the site is."""
    path = urlsplit(url).path
    if "/questions/tagged/" in path:
        return "tag:" + path.rsplit("/questions/tagged/", 1)[1].strip("/")
    return url.rstrip("/")


def reading(html):
    parser = _Reading()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.text).split()), parser.targets, parser.elements


class DumpLinks(SiteLinks):
    """The site as the dump knows it: tags link to /questions/tagged/<name>, a bare link to
    a question shows the title the catalogue holds, its URL unchanged."""

    def __init__(self, titles):
        self.titles = titles

    def tag_url(self, name, *, meta=False):
        return f"/questions/tagged/{name}"

    def question_links(self, urls):
        found = {url: self.titles.get(question_id_in(url)) for url in urls}
        return {url: (title, url) for url, title in found.items() if title}


@dataclass
class Difference:
    post_id: int
    kind: str
    stack_exchange: tuple
    ours: tuple
    markdown: str


@dataclass
class Fidelity:
    posts: int = 0
    identical: int = 0
    differences: list = field(default_factory=list)

    @property
    def percentage(self):
        return 100 * self.identical / self.posts if self.posts else 100.0

    def kinds(self):
        return Counter(difference.kind for difference in self.differences).most_common()


def _kind(theirs, ours):
    """What differs: the text, the targets or both, and the elements whose counts differ."""
    aspects = [
        name for name, index in (("text", 0), ("link targets", 1)) if theirs[index] != ours[index]
    ]
    elements = sorted(set(theirs[2]) | set(ours[2]))
    changed = [name for name in elements if theirs[2][name] != ours[2][name]]
    where = ", ".join(f"<{name}>" for name in changed) if changed else "same elements"
    return f"{' and '.join(aspects)} ({where})"


def latest_markdown(folder):
    """{post id: the Markdown of its latest body revision}."""
    latest = {}
    for row in read_rows(folder / "PostHistory.xml"):
        if row.get("PostHistoryTypeId") in BODY_CHANGES:
            key = (row.get("CreationDate", ""), row.integer("Id"))
            post_id = row.integer("PostId")
            if post_id not in latest or key >= latest[post_id][0]:
                latest[post_id] = (key, row.text("Text"))
    return {post_id: text for post_id, (_, text) in latest.items()}


def harvested_titles(posts, markdown=None):
    """{(host, question id): {post id: title}}: the questions the dump's rendered bodies
    link to by title (how Stack Exchange named questions of other sites, which no dump of
    this site holds), with the posts each title was read from. With each post's
    `markdown` ({post id: Markdown}), only bare links count, as the importer reads them
    (importers/stackexchange/titles.py): what a site knows after importing the dump."""
    found_in = {}
    for row in posts:
        post_id = row.integer("Id")
        source = None if markdown is None else markdown.get(post_id, "")
        for found, title in titled_links(row.text("Body"), source).items():
            found_in.setdefault(found, {}).setdefault(post_id, title)
    return found_in


def title_catalogue(posts, *, site_url=None, harvest=True, markdown=None):
    """{(host, question id): title}: the dump's own questions (when its site's address is
    known) and, with `harvest`, every question its rendered bodies link to by title."""
    titles = {}
    if harvest:
        for found, sources in harvested_titles(posts, markdown).items():
            titles[found] = next(iter(sources.values()))
    if site_url:
        host = (urlsplit(site_url).hostname or "").lower()
        for row in posts:
            if row.get("PostTypeId") == QUESTION:
                titles[(host, row.integer("Id"))] = row.text("Title")
    return titles


def _without_own(titles, harvested, post_id):
    """The catalogue a post sees when titles are harvested from the other posts only."""
    own_only = {
        found
        for found, sources in harvested.items()
        if set(sources) == {post_id} and titles.get(found) == sources[post_id]
    }
    return {found: title for found, title in titles.items() if found not in own_only}


def measure(folder, *, site_url=None, harvest=True, leave_one_out=False):
    """The fidelity of our rendering of the questions and answers of the dump in `folder`.
    With `leave_one_out`, a post sees the titles harvested from the other posts' bodies
    only, never those of its own expected HTML (which would make the test circular)."""
    posts = [
        row
        for row in read_rows(folder / "Posts.xml")
        if row.get("PostTypeId") in {QUESTION, ANSWER}
    ]
    markdown = latest_markdown(folder)
    result = Fidelity()
    titles = title_catalogue(
        posts, site_url=site_url, harvest=harvest or leave_one_out, markdown=markdown
    )
    own_sites = title_catalogue(posts, site_url=site_url, harvest=False)
    harvested = harvested_titles(posts, markdown) if leave_one_out else {}
    for row in posts:
        post_id = row.integer("Id")
        if post_id not in markdown:
            continue
        result.posts += 1
        theirs = reading(row.text("Body"))
        known = titles
        if leave_one_out:
            known = {**_without_own(titles, harvested, post_id), **own_sites}
        with site_links_using(DumpLinks(known)):
            ours = reading(render_post(markdown[post_id]))
        if theirs[:2] == ours[:2]:
            result.identical += 1
        else:
            result.differences.append(
                Difference(post_id, _kind(theirs, ours), theirs, ours, markdown[post_id])
            )
    return result
