"""@name mentions in comments, by Stack Exchange's rule: a comment can reach the post's
author and the people who commented on the post or edited it, nobody else.

`@name` is matched against each such person's shown name and username with the spaces
taken out, ignoring case: a name that is exactly the word wins, otherwise the word may be
the start of one name (at least three letters), and a word that starts several names
reaches none of them. Anyone else, or nobody, is plain text.
"""

import re

from accounts.models import User
from questions.models import Comment, PostRevision

MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.\-]{2,})")


def _compact(name):
    return "".join(name.split()).casefold()


def mentioned_words(text):
    """The words after an @ in `text`, in order, without repeats."""
    return list(dict.fromkeys(word.casefold().rstrip(".-") for word in MENTION.findall(text)))


def participants(post):
    """The people a comment on `post` may mention: {user: compact names}. Its author, the
    commenters and the editors, read in one query each."""
    user_ids = {post.author_id} if post.author_id else set()
    user_ids.update(
        Comment.objects.filter(post=post, author__isnull=False).values_list("author_id", flat=True)
    )
    user_ids.update(
        PostRevision.objects.filter(post=post, author__isnull=False).values_list(
            "author_id", flat=True
        )
    )
    users = User.objects.filter(pk__in=user_ids, is_active=True).only("username", "display_name")
    return {user: {_compact(user.name), _compact(user.username)} for user in users}


def resolve(words, people):
    """{word: user} for the `words` that name exactly one of `people` (see the module)."""
    found = {}
    for word in words:
        exact = [user for user, names in people.items() if word in names]
        if not exact and len(word) >= 3:
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
