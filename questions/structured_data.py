"""What a thread tells search engines and sharing previews beyond its HTML: schema.org's
QAPage as JSON-LD (https://schema.org/QAPage, the structure Google's Q&A rich results
read), and the language versions of a page (hreflang) with its canonical address.

Languages: a page speaks the visitor's language (the cookie of the language switcher,
else the browser's Accept-Language, else FORUM_LANGUAGE). Crawlers send no cookie and
usually no Accept-Language, so each page also answers in a language its URL names,
`?lang=de` or `?lang=en` (core.middleware.LanguageParameterMiddleware), and links those
addresses as its hreflang alternates; the address without the parameter is the
x-default."""

import html
import json
import re

from django.conf import settings

from core.middleware import LANGUAGE_PARAMETER, requested_language

_TAG = re.compile(r"<[^>]*>")
# What json.dumps leaves that could end the <script> element or open a comment in it:
# "<" and ">" (so "</script>" and "<!--" never appear) and "&", as Django's json_script.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def plain_text(body_html):
    """The text of a post's sanitised HTML, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())


def _person(post, base_url):
    person = {"@type": "Person", "name": post.author.name if post.author else post.author_name}
    if post.author:
        person["url"] = base_url + post.author.get_absolute_url()
    return person


def _answer(answer, base_url):
    return {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "upvoteCount": answer.score,
        "dateCreated": answer.created_at.isoformat(),
        "url": base_url + answer.get_absolute_url(),
        "author": _person(answer, base_url),
    }


def qapage(question, answers, *, base_url):
    """The QAPage of a thread: its question with the answers the page shows (deleted ones
    left out), the accepted one as acceptedAnswer and the others as suggestedAnswer."""
    shown = [answer for answer in answers if not answer.deleted_at]
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": question.answer_count,
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        "url": base_url + question.get_absolute_url(),
        "author": _person(question, base_url),
    }
    accepted = [answer for answer in shown if answer.pk == question.accepted_answer_id]
    if accepted:
        entity["acceptedAnswer"] = _answer(accepted[0], base_url)
    suggested = [_answer(answer, base_url) for answer in shown if answer not in accepted]
    if suggested:
        entity["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


def json_ld(data):
    """`data` as the text of a <script type="application/ld+json"> element: JSON that no
    post can end the element from."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def without_language(url):
    """`url` (a path with its query) without its `?lang=`."""
    path, _, query = url.partition("?")
    pairs = [
        pair for pair in query.split("&") if pair and pair.split("=", 1)[0] != LANGUAGE_PARAMETER
    ]
    return f"{path}?{'&'.join(pairs)}" if pairs else path


def with_language(url, code):
    """`url` (a path with its query) in the language `code`: `?lang=` added, or replaced."""
    url = without_language(url)
    return f"{url}{'&' if '?' in url else '?'}{LANGUAGE_PARAMETER}={code}"


def language_versions(request, url):
    """The canonical address of the page at `url` (a path with its query, as the page
    names itself, URL-encoded) and its alternates: [(hreflang, absolute URL)], one per language and
    the x-default. A page asked for in a language by its URL is canonical with it."""
    base = f"{request.scheme}://{request.get_host()}"
    code = requested_language(request)
    canonical = base + (with_language(url, code) if code else url)
    return canonical, language_alternates(base + url)


def language_alternates(url):
    """The language versions of the page at `url` (its address without `?lang=`, with its
    query): [(hreflang, address)], one per language and the x-default, for the page's
    own links and for its entry in the sitemap (questions.sitemaps)."""
    alternates = [(lang, with_language(url, lang)) for lang, _ in settings.LANGUAGES]
    alternates.append(("x-default", url))
    return alternates
