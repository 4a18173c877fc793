"""Search on PostgreSQL: the terms as tsqueries against the stored `search_vector`.

The visitor's words reach PostgreSQL only as parameters of plainto_tsquery and
phraseto_tsquery, never as tsquery syntax. The column is named in top-level queries only,
where the post table is known by its own name.
"""

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, FloatField, IntegerField, TextField
from django.db.models.expressions import RawSQL

from questions.models import Post
from questions.search.snippets import MARK_START, MARK_STOP

# ts_headline reads at most this much of a body: long posts must not slow a results page.
HEADLINE_SOURCE_LENGTH = 20_000


def _table():
    return connection.ops.quote_name(Post._meta.db_table)


def _vector():
    return f"{_table()}.search_vector"


def _tsquery(terms):
    """The SQL and parameters of a tsquery that needs every positive term."""
    config = settings.FORUM_SEARCH_CONFIG
    parts, params = [], []
    for word in terms.words:
        parts.append("plainto_tsquery(%s::regconfig, %s)")
        params += [config, word]
    for phrase in [*terms.phrases, *terms.title]:
        parts.append("phraseto_tsquery(%s::regconfig, %s)")
        params += [config, phrase]
    return "(" + " && ".join(parts) + ")", params


def _condition(sql, params):
    return RawSQL(sql, params, output_field=BooleanField())


def text_filtered(posts, terms):
    """`posts` narrowed to those whose text matches the words, phrases, titles and
    exclusions of `terms`."""
    config = settings.FORUM_SEARCH_CONFIG
    vector = _vector()
    if terms.has_text:
        sql, params = _tsquery(terms)
        posts = posts.filter(_condition(f"{vector} @@ {sql}", params))
    for text in terms.title:
        # The index finds the posts; only the title's lexemes (weight A) decide.
        posts = posts.filter(
            _condition(
                f"ts_filter({vector}, '{{a}}') @@ phraseto_tsquery(%s::regconfig, %s)",
                [config, text],
            )
        )
    for text in terms.excluded:
        # A post without a vector has no text that could be excluded.
        posts = posts.filter(
            _condition(
                f"NOT coalesce({vector} @@ phraseto_tsquery(%s::regconfig, %s), false)",
                [config, text],
            )
        )
    return posts


def rank(terms):
    """How well a post matches the positive terms: ts_rank_cd, which weighs the title (A)
    above the tags (B) and the body (C)."""
    sql, params = _tsquery(terms)
    return RawSQL(f"ts_rank_cd({_vector()}, {sql})", params, output_field=FloatField())


def headline(terms):
    """The body as plain text, cut to the passages that match, the matches marked with
    MARK_START and MARK_STOP (for snippets.snippet)."""
    sql, params = _tsquery(terms)
    plain = (
        f"translate(regexp_replace(left({_table()}.body_html, %s), '<[^>]*>', ' ', 'g'), %s, '')"
    )
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=28, MinWords=12, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    return RawSQL(
        f"ts_headline(%s::regconfig, {plain}, {sql}, %s)",
        [
            settings.FORUM_SEARCH_CONFIG,
            HEADLINE_SOURCE_LENGTH,
            MARK_START + MARK_STOP,
            *params,
            options,
        ],
        output_field=TextField(),
    )


def title_matches(words):
    """How many of `words` the title holds, stems included ("Moderator" in "Moderatoren"),
    as an expression: one test per word against the title's lexemes (weight A)."""
    config = settings.FORUM_SEARCH_CONFIG
    tests = " + ".join(
        f"(ts_filter({_vector()}, '{{a}}') @@ plainto_tsquery(%s::regconfig, %s))::int"
        for _ in words
    )
    params = [value for word in words for value in (config, word)]
    return RawSQL(f"coalesce({tests}, 0)", params, output_field=IntegerField())


def title_has_any(words):
    """The index finds the posts and the title's lexemes (weight A) decide, so that "verbs"
    finds "verb" and a rare word costs no scan of every title."""
    query = " | ".join(f"{word}:A" for word in words)
    return _condition(
        f"{_vector()} @@ to_tsquery(%s::regconfig, %s)", [settings.FORUM_SEARCH_CONFIG, query]
    )
