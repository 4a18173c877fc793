"""@name mentions in comments, by Stack Exchange's rule: a comment can reach the post's
author and the people who commented on the post or edited it, nobody else.

`@name` is matched against each such person's shown name and username, compacted (see
`compact`), ignoring case: a name that is exactly the word wins, otherwise the word may be
the start of one name (at least three letters), and a word that starts several names
reaches none of them. Anyone else, or nobody, is plain text. The words are those
`core.markdown.comment_mentions` finds: none in code or in links.
"""

import re

from accounts.models import User
from core.markdown import comment_mentions
from questions.models import Comment, Post, PostRevision

PREFIX_MIN_LENGTH = 3
SUGGESTIONS = 8

_NOT_IN_MENTIONS = re.compile(r"[^\w.\-]")


def compact(name):
    """`name` as it can be typed after an @ (core.markdown.MENTION): casefolded, without
    spaces or other characters a mention cannot hold, starting with a letter or digit and
    not ending with a dot or dash."""
    return _NOT_IN_MENTIONS.sub("", name.casefold()).lstrip("_.-").rstrip(".-")


def mentioned_words(text):
    """The words after an @ in `text`, a comment's Markdown, in order, without repeats."""
    return comment_mentions(text)


def participants(post):
    """The people a comment on `post` may mention: {user: compact names}. Its author, the
    authors of its comments (not deleted) and its editors, in one query."""
    ids = (
        Post.objects.filter(pk=post.pk, author__isnull=False)
        .order_by()
        .values("author_id")
        .union(
            Comment.objects.filter(post=post, author__isnull=False, deleted_at__isnull=True)
            .order_by()
            .values("author_id"),
            PostRevision.objects.filter(post=post, author__isnull=False)
            .order_by()
            .values("author_id"),
        )
    )
    users = User.objects.filter(pk__in=ids, is_active=True).only("username", "display_name")
    return {user: {compact(user.name), compact(user.username)} - {""} for user in users}


def resolve(words, people):
    """{word: user} for the `words` that name exactly one of `people` (see the module)."""
    found = {}
    for word in words:
        exact = [user for user, names in people.items() if word in names]
        if not exact and len(word) >= PREFIX_MIN_LENGTH:
            exact = [
                user
                for user, names in people.items()
                if any(name.startswith(word) for name in names)
            ]
        if len(exact) == 1:
            found[word] = exact[0]
    return found


def mentioned_users(*, post, text, author=None):
    """The people `text`, a comment by `author` on `post`, mentions (never the author)."""
    words = mentioned_words(text)
    if not words:
        return {}
    people = participants(post)
    return {word: user for word, user in resolve(words, people).items() if user != author}


def mention_links(*, post, text, author):
    """{word: profile URL} for the mentions `text` makes, for core.markdown.render_comment."""
    return {
        word: user.get_absolute_url()
        for word, user in mentioned_users(post=post, text=text, author=author).items()
    }


def _word_for(user, people):
    """The word that mentions `user` among `people`: the compact shown name, or else the
    compact username, if it reaches them alone; None if neither does."""
    for name in (compact(user.name), compact(user.username)):
        if len(name) >= PREFIX_MIN_LENGTH and resolve([name], people).get(name) == user:
            return name
    return None


def suggestions(*, post, prefix, viewer):
    """The people `viewer` may mention in a comment on `post` whose names start with
    `prefix` (an @ before it is allowed), by shown name: [{"name", "word"}], at most
    SUGGESTIONS; `word` is what to type after the @. Never the viewer."""
    start = compact(prefix.lstrip("@"))
    people = participants(post)
    found = []
    for user in sorted(people, key=lambda user: (user.name.casefold(), user.pk)):
        if user == viewer or not any(name.startswith(start) for name in people[user]):
            continue
        if word := _word_for(user, people):
            found.append({"name": user.name, "word": word})
            if len(found) == SUGGESTIONS:
                break
    return found
