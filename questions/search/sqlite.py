"""Search on SQLite (and any database but PostgreSQL): no index, the terms match with
icontains, which is plenty for a development database."""

import re
from functools import reduce
from operator import add, or_

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from questions.models import Post


def _contains(text):
    """Whether the post's title, Markdown or (for a question) tags contain `text`."""
    return (
        Q(title__icontains=text)
        | Q(body_markdown__icontains=text)
        | Exists(
            Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__name__icontains=text)
        )
    )


def text_filtered(posts, terms):
    """`posts` narrowed to those whose text matches the words, phrases, titles and
    exclusions of `terms`."""
    for text in [*terms.words, *terms.phrases]:
        posts = posts.filter(_contains(text))
    for text in terms.title:
        posts = posts.filter(title__icontains=text)
    for text in terms.excluded:
        posts = posts.exclude(Q(title__icontains=text) | Q(body_markdown__icontains=text))
    return posts


def rank(terms):
    """A term in the title counts three times as much as one in the body."""
    score = Value(0)
    for text in terms.positive_texts:
        score = score + Case(When(title__icontains=text, then=Value(3)), default=Value(0))
        score = score + Case(When(body_markdown__icontains=text, then=Value(1)), default=Value(0))
    return score


def title_matches(words):
    """How many of `words` the title holds as the start of a word ("vote" in "votes", not
    in "downvotes"), as an expression."""
    return reduce(
        add,
        (
            Case(When(title__iregex=rf"\b{re.escape(word)}", then=Value(1)), default=Value(0))
            for word in words
        ),
    )


def title_has_any(words):
    return reduce(or_, (Q(title__icontains=word) for word in words))
