"""The HTML an imported post shows: the Body Stack Exchange rendered for its latest revision,
through our allowlist, with its links to the imported site made local.

The Markdown from the history stays the source that edits start from; an edit renders it
with our own pipeline, so only an unedited imported post shows Stack Exchange's rendering.

Links are made local once every post, comment and user of the dump exists, since a post
may link to one that comes later in the file: `localise_links` rewrites the stored HTML
of this run's posts and comments that mention the site's host, a batch at a time."""

import re
from urllib.parse import urlsplit

from accounts.models import User
from core import markdown
from questions.importers.stackexchange.rows import batched
from questions.models import Comment, Post, Tag


def shown_html(body):
    """The dump's rendered Body, as our allowlist for posts lets it through (its classes
    too: Stack Exchange's tag links and spoilers carry the ones our own rendering gives)."""
    return markdown.clean_post_html(body)


class SiteLinks:
    """Finds the links in HTML that point at the imported site's questions, answers and
    users, and says which dump ids they name."""

    def __init__(self, site):
        # The host with its port, if any (an export of a Stapel site may be on one).
        self.host = urlsplit(site).netloc
        prefix = rf"(?:https?:)?//(?:www\.)?{re.escape(self.host)}"
        # The link forms Stack Exchange writes: /q/1, /a/2, /questions/1/slug,
        # /questions/1/slug/2#2 (an answer), /users/3/name; and Stapel's own answer links,
        # /questions/1/slug/#answer-2, which an export of a Stapel site holds.
        self.pattern = re.compile(
            rf'href="{prefix}/'
            r"(?:"
            r"(?:q|questions)/(?P<question>\d+)(?:/[^/\"#?]*(?:/(?P<answer_in>\d+))?)?/?"
            r"(?:#answer-(?P<answer_anchor>\d+))?"
            r"|a/(?P<answer>\d+)(?:/\d+)?"
            r"|users/(?P<user>\d+)(?:/[^\"#?]*)?"
            r")"
            r'(?P<rest>[?#][^"]*)?"'
        )

    def targets(self, html):
        """("post" or "user", dump id) of each link to the site in `html`."""
        for match in self.pattern.finditer(html):
            yield _target(match)


def _target(match):
    if match["user"]:
        return "user", int(match["user"])
    answer = match["answer"] or match["answer_in"] or match["answer_anchor"]
    return "post", int(answer or match["question"])


def localise_links(state):
    """Points the links to the imported site in this run's posts, comments and new tags'
    wikis at our pages, where the post or user linked to is in the dump; other links stay
    as they are."""
    links = SiteLinks(state.site)
    if not links.host:
        return
    rewritten = 0
    new_post_pks = sorted(state.post_pk(post_id) for post_id in state.new_posts)
    for batch in batched(new_post_pks):
        posts = Post.objects.filter(pk__in=batch, body_html__contains=links.host).only(
            "id", "body_html"
        )
        rewritten += _rewrite(state, links, list(posts), Post)
    for batch in batched(sorted(state.new_comments)):
        comments = Comment.objects.filter(pk__in=batch, body_html__contains=links.host).only(
            "id", "body_html"
        )
        rewritten += _rewrite(state, links, list(comments), Comment)
    for batch in batched(sorted(state.new_tags)):
        tags = Tag.objects.filter(pk__in=batch, wiki_html__contains=links.host).only(
            "id", "wiki_html"
        )
        rewritten += _rewrite(state, links, list(tags), Tag, field="wiki_html")
    state.say(
        f"Links to {state.site}: {rewritten} posts, comments and tag wikis now link to this site"
    )


def _rewrite(state, links, rows, model, field="body_html"):
    if not rows:
        return 0
    wanted = {target for row in rows for target in links.targets(getattr(row, field))}
    urls = _local_urls(state, wanted)
    changed = []
    for row in rows:

        def local(match):
            url = urls.get(_target(match))
            if url is None:
                return match[0]
            rest = match["rest"] or ""
            # Stack Exchange's answer anchor (#2) is in our answer's URL already.
            if "#" in url and re.fullmatch(r"#\d+", rest):
                rest = ""
            return f'href="{url}{rest}"'

        html = links.pattern.sub(local, getattr(row, field))
        if html != getattr(row, field):
            setattr(row, field, html)
            changed.append(row)
    model.objects.bulk_update(changed, [field])
    return len(changed)


def _local_urls(state, targets):
    """{(kind, dump id): our URL} for the targets that were imported."""
    post_pks = {}
    user_pks = {}
    for kind, dump_id in targets:
        if kind == "user":
            if (pk := state.users.get(dump_id)) is not None:
                user_pks[pk] = (kind, dump_id)
        elif (pk := state.post_pk(dump_id)) is not None:
            post_pks[pk] = (kind, dump_id)
    urls = {}
    posts = Post.objects.filter(pk__in=post_pks).select_related("parent")
    for post in posts.only("id", "post_type", "slug", "parent__id", "parent__slug"):
        urls[post_pks[post.pk]] = post.get_absolute_url()
    for user in User.objects.filter(pk__in=user_pks).only("id", "display_name", "username"):
        urls[user_pks[user.pk]] = user.get_absolute_url()
    return urls
