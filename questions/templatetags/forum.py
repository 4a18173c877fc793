import html
import re
from datetime import UTC, timedelta
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from core.stamping import stamp
from core.urls_cache import cached_reverse
from questions import structured_data

register = template.Library()

# Younger times read better as "3 hours ago"; older ones as a date.
RELATIVE_TIME_LIMIT = timedelta(days=2)
EXCERPT_LENGTH = 200

_PARTIAL_TAG = re.compile(r"<[^>]*$")
_TAG = re.compile(r"<[^>]*>")
_CC_BY_SA = re.compile(r"^CC BY-SA (\d\.\d)$", re.IGNORECASE)


@register.simple_tag
def timestamp(value):
    """A <time> element: relative for recent times, a date for older ones, the exact UTC
    time in its title. Built as a string (a thread prints one per post and comment): only
    the shown text needs escaping, the rest is digits and separators."""
    utc = value.astimezone(UTC).replace(microsecond=0)
    if timezone.now() - value < RELATIVE_TIME_LIMIT:
        shown = naturaltime(value)
    else:
        shown = _date_text(utc.date(), translation.get_language())
    return mark_safe(
        f'<time datetime="{utc.isoformat()}" title="{utc:%Y-%m-%d %H:%M:%S} UTC">'
        f"{html.escape(shown)}</time>"
    )


@lru_cache(maxsize=4096)
def _date_text(day, language):
    """A day as the meta data shows it, per language: the posts of a page share few days."""
    return format_date(day, pgettext("date in post and list meta data", "M j, Y"))


@register.simple_tag
def cached_url(viewname, **kwargs):
    """{% url %} for the links a thread prints for every post and comment (vote, edit,
    history, flag...), remembered by core.urls_cache: with keyword arguments only."""
    return cached_reverse(viewname, **kwargs)


@register.simple_tag
def author(post):
    """The author of a post, comment or revision: the name linked to their profile, a
    moderator's diamond and the reputation; the name kept on the post if the account is
    gone. A tag rather than an included template, and a string rather than format_html():
    a thread prints it for every post and comment."""
    user = post.author
    if user is None:
        return format_html(
            '<span class="author-name author-gone">{}</span>',
            post.author_name or gettext("anonymous"),
        )
    words = _author_words(translation.get_language())
    # Below a thousand every language writes the number alike.
    reputation = intcomma(user.reputation) if user.reputation >= 1000 else user.reputation
    return mark_safe(
        f'<a class="author-name" href="{html.escape(user.get_absolute_url())}">'
        f"{html.escape(user.name)}{words.moderator_mark if user.is_moderator else ''}</a> "
        f'<span class="reputation" title="{words.reputation}">'
        f'<span class="visually-hidden">{words.reputation}</span>{reputation}</span>'
    )


class _AuthorWords(NamedTuple):
    moderator_mark: str
    reputation: str


@cache
def _author_words(language):
    """The translated words around an author's name, escaped, per language."""
    moderator = html.escape(gettext("moderator"))
    return _AuthorWords(
        moderator_mark=(
            f'<span class="moderator-mark" title="{moderator}"> ♦'
            f'<span class="visually-hidden"> {moderator}</span></span>'
        ),
        reputation=html.escape(gettext("reputation")),
    )


@register.filter
def excerpt(body_html):
    """Plain text from the start of a post's HTML (which may end inside a tag).

    The HTML is the sanitiser's output, in which every `<` of the text is escaped, so a
    regular expression finds the tags: a list page runs this once a row, and an HTML
    parser would take a tenth of the page's time."""
    text = " ".join(html.unescape(_TAG.sub("", _PARTIAL_TAG.sub("", body_html))).split())
    if len(text) > EXCERPT_LENGTH:
        text = text[: EXCERPT_LENGTH - 1].rstrip() + "…"
    return text


@register.simple_tag
def source_link(url):
    """A link to where imported content came from, named by its host."""
    return format_html(
        '<a href="{}" rel="nofollow noopener">{}</a>', url, urlsplit(url).hostname or url
    )


@register.simple_tag
def shared_attribution(question, answers):
    """The question, when every post of the thread came from the same site under the same
    licence and translation, so that one note under the title credits them all; else None.

    Each post then links its own original (a thread of twenty answers would otherwise
    repeat the same sentence twenty times)."""
    posts = [question, *answers]
    if not all(post.source_url for post in posts):
        return None
    first = _attribution_key(question)
    if any(_attribution_key(post) != first for post in answers):
        return None
    return question


def _attribution_key(post):
    return (
        urlsplit(post.source_url).hostname,
        post.licence,
        post.is_translated,
        post.original_language if post.is_translated else "",
    )


@register.simple_tag
def licence_link(licence):
    """The licence's name, linked to its Creative Commons deed when it is CC BY-SA."""
    match = _CC_BY_SA.match(licence.strip())
    if match is None:
        return licence
    return format_html(
        '<a href="https://creativecommons.org/licenses/by-sa/{}/" rel="license">{}</a>',
        match[1],
        licence,
    )


@register.filter
def language_name(code):
    """The language's name in the current language; the code itself when Django does not know it."""
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.simple_tag
def page_links(page_obj):
    """Page numbers around the current page, with the paginator's ellipsis for gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def profile_tabs(context, member):
    """(tab, url) of the profile's tabs that the viewer may see (questions/profile_tabs.py)."""
    from questions.profile_tabs import profile_tabs as tabs

    user = context.get("user")
    return tabs(member=member, viewer=user if user is not None and user.is_authenticated else None)


# The header's sections by address: the members' list and every tab of a profile
# (whichever app serves it) are Users', tags' pages Tags'; the search belongs to none.
_NAV_SECTIONS = (
    (re.compile(r"/users/(?:$|\d)"), "users"),
    (re.compile(r"/tags/"), "tags"),
    (re.compile(r"/review/"), "review"),
    (re.compile(r"/(?:$|questions/)"), "questions"),
)


@register.simple_tag(takes_context=True)
def nav_section(context):
    """Which of the header's sections (questions, tags, users, review) the page is in."""
    request = context.get("request")
    if request is None:
        return None
    for pattern, section in _NAV_SECTIONS:
        if pattern.match(request.path):
            return section
    return None


@register.simple_tag(takes_context=True)
def language_links(context, url, page=None):
    """The page's canonical link and its language versions for search engines
    (questions.structured_data.language_versions); `url` is the page's own address (a
    path, URL-encoded), `page` its page number when past the first."""
    if page and page > 1:
        url = f"{url}?page={page}"
    canonical, alternates = structured_data.language_versions(context["request"], url)
    links = [format_html('<link rel="canonical" href="{}">', canonical)]
    links += [
        format_html('<link rel="alternate" hreflang="{}" href="{}">', code, href)
        for code, href in alternates
    ]
    return mark_safe("\n  ".join(links))


@register.filter
def without_language(url):
    """`url` without its `?lang=`: where the language switcher sends the visitor back, so
    that the page then speaks the language chosen."""
    return structured_data.without_language(url)


@register.simple_tag(takes_context=True)
def qapage_json_ld(context, question, answers):
    """The thread as schema.org's QAPage, in a JSON-LD script element: data, not code (the
    Content-Security-Policy's script-src governs scripts that run, which this is not)."""
    request = context["request"]
    base_url = f"{request.scheme}://{request.get_host()}"
    data = structured_data.qapage(question, answers, base_url=base_url)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(structured_data.json_ld(data))
    )


class StampNode(template.Node):
    """{% stamp post.pk "kind" variant… as pk [shared] [unless flag] %}…{% endstamp %}: the
    block rendered once a page with a stand-in id bound to `pk`, copied for every post
    with its own id (core.stamping). `shared`: rendered once per process and language, for
    blocks that show nothing of the viewer's. `unless <flag>` renders it in full, with the
    real id, when the flag holds (a form that comes back with the member's text)."""

    def __init__(self, pk, key, name, shared, unless, nodelist):
        self.pk, self.key, self.name = pk, key, name
        self.shared, self.unless, self.nodelist = shared, unless, nodelist

    def render(self, context):
        pk = self.pk.resolve(context)
        key = (id(self), *(part.resolve(context) for part in self.key))

        def render(stand_in, csrf):
            values = {self.name: stand_in}
            if csrf is not None:
                values["csrf_token"] = csrf
            with context.push(values):
                return self.nodelist.render(context)

        if self.unless is not None and self.unless.resolve(context):
            return render(str(pk), None)
        return stamp(
            context.get("request"),
            key,
            pk,
            render,
            shared=self.shared,
            csrf_token=context.get("csrf_token"),
        )


@register.tag("stamp")
def do_stamp(parser, token):
    bits = token.split_contents()
    unless = None
    if len(bits) >= 2 and bits[-2] == "unless":
        unless = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    shared = bits[-1] == "shared"
    if shared:
        bits = bits[:-1]
    if len(bits) < 5 or bits[-2] != "as":
        raise template.TemplateSyntaxError(
            "{% stamp pk key… as name [shared] [unless flag] %} takes an id, a key and a name"
        )
    pk = parser.compile_filter(bits[1])
    key = [parser.compile_filter(bit) for bit in bits[2:-2]]
    nodelist = parser.parse(("endstamp",))
    parser.delete_first_token()
    return StampNode(pk, key, bits[-1], shared, unless, nodelist)
