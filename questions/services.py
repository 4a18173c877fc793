"""Writes: every change to questions, answers, comments and tags goes through here.

Each service is one transaction. Counters move with F() expressions in the same
transaction as the rows they count, so concurrent requests never lose an update.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from core.events import publish
from core.markdown import render_comment, render_post
from questions import events, mentions, profile_counts
from questions.models import Comment, ListTotal, Post, PostRevision, Tag, TagRevision
from questions.permissions import first_post_held
from questions.search import search_index_update
from questions.selectors import list_totals_counted


def _slug_for(title):
    return slugify(title)[:250] or "question"


def _tags_attach(*, question, names):
    """Attaches tags by name (creating missing ones) and counts the question in them."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    question.tags.add(*existing.values())
    if not question.deleted_at:
        Tag.objects.filter(pk__in=[tag.pk for tag in existing.values()]).update(
            question_count=F("question_count") + 1
        )


def _tags_detach(*, question, tags):
    question.tags.remove(*tags)
    if not question.deleted_at:
        Tag.objects.filter(pk__in=[tag.pk for tag in tags]).update(
            question_count=F("question_count") - 1
        )


def _tag_names(question):
    return [tag.name for tag in question.tags.order_by("name")]


def _list_totals_add(changes):
    for name, delta in changes.items():
        if delta:
            ListTotal.objects.filter(name=name).update(count=F("count") + delta)


def _list_membership(question_id, *, lock=False):
    """Which site-wide lists show the question: {list name: 1 or 0}, by PostQuerySet.listed()
    and .unanswered(), the lists' own rules, read from one row."""
    rows = Post.objects.filter(pk=question_id, post_type=Post.PostType.QUESTION).annotate(
        is_listed=Exists(Post.objects.listed().filter(pk=OuterRef("pk")))
    )
    if lock:
        rows = rows.select_for_update(no_key=True)
    row = rows.values_list("is_listed", "answer_count").first()
    is_listed = row is not None and row[0]
    return {
        ListTotal.Name.LISTED: int(is_listed),
        ListTotal.Name.UNANSWERED: int(is_listed and row[1] == 0),
    }


def list_totals_enter(question_id):
    """Counts a new question in the lists that show it."""
    _list_totals_add(_list_membership(question_id))


@contextmanager
def list_totals_kept(question_id):
    """Moves the stored list totals by what the block changes about the question: whether
    it is listed (not deleted, not hidden) and unanswered. Its row is locked first, so
    concurrent writes to one question count one after the other, and the totals move in
    the same transaction as the question."""
    with transaction.atomic(savepoint=False):
        before = _list_membership(question_id, lock=True)
        yield
        after = _list_membership(question_id)
        _list_totals_add({name: after[name] - before[name] for name in after})


def list_totals_recount(*, repair=True):
    """Counts the questions of each list against its stored total (after bulk imports, or
    to find drift) and, with `repair`, stores the counts. Returns {list name: (stored,
    counted)} for the stored totals that were not exact; a total not stored is not drift:
    the lists count it until one is."""
    stored = dict(ListTotal.objects.values_list("name", "count"))
    counted = list_totals_counted()
    if repair:
        for name, count in counted.items():
            ListTotal.objects.update_or_create(name=name, defaults={"count": count})
    return {
        name: (stored[name], count)
        for name, count in counted.items()
        if stored.get(name, count) != count
    }


def _last_revision_number(post):
    return (
        PostRevision.objects.filter(post=post)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


def _revision_append(*, post, author, summary="", at, author_name=None):
    number = (_last_revision_number(post) or 0) + 1
    if author_name is None:
        author_name = author.name if author else ""
    return PostRevision.objects.create(
        post=post,
        number=number,
        author=author,
        author_name=author_name,
        title=post.title,
        tags=" ".join(_tag_names(post)) if post.is_question else "",
        body_markdown=post.body_markdown,
        summary=summary,
        created_at=at,
    )


def _question_touch(*, question_id, at):
    """Moves the question up the Active tab."""
    Post.objects.filter(pk=question_id, last_activity_at__lt=at).update(last_activity_at=at)


def _create_once(*, model, author, submission_token, create):
    """Runs `create` in a transaction, unless the same form was submitted before: then
    returns what the first submission created. The unique constraint on (author, token)
    settles two submissions that arrive at the same moment."""

    def earlier():
        if submission_token is None:
            return None
        return model.objects.filter(author=author, submission_token=submission_token).first()

    if existing := earlier():
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if existing := earlier():
            return existing
        raise


def question_create(*, author, title, body, tags, submission_token=None):
    """Creates a question with its first revision; a member's first question is held for
    review when the setting says so (questions.permissions.first_post_held): stored as
    deleted, out of every count, until post_release."""

    def create():
        now = timezone.now()
        held = first_post_held(author, Post.PostType.QUESTION)
        question = Post.objects.create(
            post_type=Post.PostType.QUESTION,
            title=title,
            slug=_slug_for(title),
            body_markdown=body,
            body_html=render_post(body),
            author=author,
            author_name=author.name,
            created_at=now,
            last_activity_at=now,
            submission_token=submission_token,
            deleted_at=now if held else None,
            held_at=now if held else None,
        )
        _tags_attach(question=question, names=tags)
        list_totals_enter(question.pk)
        if not held:
            profile_counts.question_counted(question_id=question.pk, author_id=author.pk, sign=1)
        # The search index reads the stored row and its tags, so it comes after both.
        search_index_update(post_ids=[question.pk])
        _revision_append(post=question, author=author, at=now)
        event = events.PostHeld if held else events.QuestionAsked
        publish(event(post_id=question.pk, question_id=question.pk, author_id=author.pk))
        return question

    return _create_once(model=Post, author=author, submission_token=submission_token, create=create)


def answer_create(*, author, question, body, submission_token=None):
    """Creates an answer with its first revision; a member's first answer may be held for
    review, as a first question is (question_create)."""

    def create():
        now = timezone.now()
        held = first_post_held(author, Post.PostType.ANSWER)
        answer = Post.objects.create(
            post_type=Post.PostType.ANSWER,
            parent=question,
            body_markdown=body,
            body_html=render_post(body),
            author=author,
            author_name=author.name,
            created_at=now,
            last_activity_at=now,
            language=question.language,
            submission_token=submission_token,
            deleted_at=now if held else None,
            held_at=now if held else None,
        )
        search_index_update(post_ids=[answer.pk])
        _revision_append(post=answer, author=author, at=now)
        if held:
            publish(
                events.PostHeld(post_id=answer.pk, question_id=question.pk, author_id=author.pk)
            )
            return answer
        with list_totals_kept(question.pk):
            Post.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
        profile_counts.answer_counted(answer_id=answer.pk, sign=1)
        _question_touch(question_id=question.pk, at=now)
        publish(
            events.AnswerPosted(post_id=answer.pk, question_id=question.pk, author_id=author.pk)
        )
        return answer

    return _create_once(model=Post, author=author, submission_token=submission_token, create=create)


def comment_create(*, author, post, body, submission_token=None):
    """Creates a comment; its @mentions of the post's participants link to their profiles
    (questions.mentions), and the notifications app tells them."""

    def create():
        now = timezone.now()
        links = mentions.mention_links(post=post, text=body, author=author)
        comment = Comment.objects.create(
            post=post,
            author=author,
            author_name=author.name,
            body_markdown=body,
            body_html=render_comment(body, mentions=links),
            created_at=now,
            submission_token=submission_token,
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        _question_touch(question_id=post.question_id, at=now)
        publish(
            events.CommentPosted(
                post_id=post.pk,
                question_id=post.question_id,
                comment_id=comment.pk,
                author_id=author.pk,
            )
        )
        return comment

    return _create_once(
        model=Comment, author=author, submission_token=submission_token, create=create
    )


@transaction.atomic
def comment_edit(*, comment, editor, body):
    """Changes the comment's text (on the instance given, too) and marks it edited; its
    @mentions are linked again, as when it was posted. Returns False when it already read
    like that."""
    if body == comment.body_markdown:
        return False
    now = timezone.now()
    links = mentions.mention_links(post=comment.post, text=body, author=editor)
    comment.body_markdown = body
    comment.body_html = render_comment(body, mentions=links)
    comment.edited_at = now
    Comment.objects.filter(pk=comment.pk).update(
        body_markdown=comment.body_markdown, body_html=comment.body_html, edited_at=now
    )
    publish(
        events.CommentEdited(
            post_id=comment.post_id,
            question_id=comment.post.question_id,
            comment_id=comment.pk,
            editor_id=editor.pk,
        )
    )
    return True


@transaction.atomic
def comment_delete(*, comment, user):
    """Soft-deletes a comment (`user` None: the system) and counts it off its post.
    Returns False when it was deleted already, by this call's rival too: the conditional
    update lets one of two at once through."""
    updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), deleted_by=user
    )
    if not updated:
        return False
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
    publish(
        events.CommentDeleted(
            post_id=comment.post_id,
            question_id=comment.post.question_id,
            comment_id=comment.pk,
            author_id=comment.author_id,
            actor_id=user and user.pk,
        )
    )
    return True


@transaction.atomic
def comment_undelete(*, comment, user):
    """Brings a deleted comment back and counts it on its post again. Returns False when
    it was not deleted."""
    updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=False).update(
        deleted_at=None, deleted_by=None
    )
    if not updated:
        return False
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + 1)
    publish(
        events.CommentUndeleted(
            post_id=comment.post_id,
            question_id=comment.post.question_id,
            comment_id=comment.pk,
            actor_id=user and user.pk,
        )
    )
    return True


@transaction.atomic
def post_edit(*, post, editor, body, title=None, tags=None, summary=""):
    """Changes a post (the instance given, too) and appends a revision. Returns False when
    nothing changed."""
    post.refresh_from_db(from_queryset=Post.objects.select_for_update(no_key=True))
    changed_tags = None
    if post.is_question and tags is not None:
        current = set(_tag_names(post))
        if set(tags) != current:
            changed_tags = set(tags)
    title_changed = post.is_question and title is not None and title != post.title
    if body == post.body_markdown and not title_changed and changed_tags is None:
        return False

    if _last_revision_number(post) is None:
        # A post written without a revision (through the admin, say) keeps its original
        # text as revision 1, so that the edit overwrites nothing.
        _revision_append(
            post=post, author=post.author, author_name=post.author_name, at=post.created_at
        )

    now = timezone.now()
    if title_changed:
        post.title = title
        post.slug = _slug_for(title)
    if body != post.body_markdown:
        post.body_markdown = body
        post.body_html = render_post(body)
    post.last_edited_at = now
    post.last_editor = editor
    post.last_editor_name = editor.name
    post.last_activity_at = now
    post.save(
        update_fields=[
            "title",
            "slug",
            "body_markdown",
            "body_html",
            "last_edited_at",
            "last_editor",
            "last_editor_name",
            "last_activity_at",
        ]
    )
    if changed_tags is not None:
        current_tags = list(post.tags.all())
        removed = [tag for tag in current_tags if tag.name not in changed_tags]
        _tags_detach(question=post, tags=removed)
        _tags_attach(question=post, names=sorted(changed_tags - {tag.name for tag in current_tags}))
        profile_counts.question_tags_changed(
            question=post,
            added_tag_ids=set(profile_counts.question_tag_ids(post.pk))
            - {tag.pk for tag in current_tags},
            removed_tag_ids={tag.pk for tag in removed},
        )
    # After the new title, body and tags are stored: the index is computed from them.
    search_index_update(post_ids=[post.pk])
    revision = _revision_append(post=post, author=editor, summary=summary, at=now)
    profile_counts.edit_counted(editor_id=editor.pk)
    if not post.is_question:
        _question_touch(question_id=post.parent_id, at=now)
    publish(
        events.PostEdited(
            post_id=post.pk,
            question_id=post.question_id,
            editor_id=editor.pk,
            revision_id=revision.pk,
        )
    )
    return True


def post_rollback(*, post, revision, editor):
    """Restores an earlier revision by appending a new one with its content. Returns False
    when the post already reads like that revision."""
    # Imported history can lack a question's title or tags; those stay as they are.
    return post_edit(
        post=post,
        editor=editor,
        title=(revision.title or None) if post.is_question else None,
        body=revision.body_markdown,
        tags=(revision.tags.split() or None) if post.is_question else None,
        summary=gettext("Rolled back to revision %(number)s") % {"number": revision.number},
    )


def _visibility_counters(*, post, delta):
    if post.is_question:
        Tag.objects.filter(questions=post).update(question_count=F("question_count") + delta)
        profile_counts.question_counted(question_id=post.pk, author_id=post.author_id, sign=delta)
    else:
        Post.objects.filter(pk=post.parent_id).update(answer_count=F("answer_count") + delta)
        profile_counts.answer_counted(answer_id=post.pk, sign=delta)


@transaction.atomic
def post_delete(*, post, user):
    """Soft-deletes a post, or a held one for good (nothing counted it). Returns False
    when it was deleted already."""
    now = timezone.now()
    with list_totals_kept(post.question_id):
        updated = Post.objects.filter(pk=post.pk, held_at__isnull=False).update(
            deleted_at=now, deleted_by=user, held_at=None
        )
        if not updated:
            updated = Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(
                deleted_at=now, deleted_by=user
            )
            if updated:
                _visibility_counters(post=post, delta=-1)
    if updated:
        publish(
            events.PostDeleted(
                post_id=post.pk, question_id=post.question_id, actor_id=user and user.pk
            )
        )
    return bool(updated)


@transaction.atomic
def post_release(*, post, user):
    """Lets a held post out (a reviewer's Looks OK, edit or feedback in the first posts,
    a moderator's undeletion): it is counted and listed, and told as asked or posted now,
    so that its followers and watchers hear of it. Returns False when it was not held."""
    now = timezone.now()
    with list_totals_kept(post.question_id):
        updated = Post.objects.filter(pk=post.pk, held_at__isnull=False).update(
            deleted_at=None, deleted_by=None, held_at=None
        )
        if updated:
            _visibility_counters(post=post, delta=+1)
            if not post.is_question:
                _question_touch(question_id=post.question_id, at=now)
    if updated:
        event = events.QuestionAsked if post.is_question else events.AnswerPosted
        publish(
            event(
                post_id=post.pk,
                question_id=post.question_id,
                author_id=post.author_id,
                released=True,
            )
        )
    return bool(updated)


@transaction.atomic
def post_undelete(*, post, user):
    if post.held_at:
        return post_release(post=post, user=user)
    with list_totals_kept(post.question_id):
        updated = Post.objects.filter(pk=post.pk, deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None
        )
        if updated:
            _visibility_counters(post=post, delta=+1)
    if updated:
        publish(
            events.PostUndeleted(
                post_id=post.pk, question_id=post.question_id, actor_id=user and user.pk
            )
        )
    return bool(updated)


def tag_describe(*, tag, description, wiki=None, editor=None, summary=""):
    """Sets the tag's description and (unless None) its wiki's Markdown, on the instance
    given too, and appends a TagRevision of both. Returns False when they already read
    like that. A tag described before it had revisions first gets one of what it said."""
    wiki = tag.wiki_markdown if wiki is None else wiki
    if description == tag.excerpt and wiki == tag.wiki_markdown:
        return False
    with transaction.atomic():
        # The lock orders concurrent edits, so that revision numbers do not collide.
        current = Tag.objects.select_for_update().get(pk=tag.pk)
        last = current.revisions.order_by("-number").values_list("number", flat=True).first()
        number = last or 0
        if number == 0 and (current.excerpt or current.wiki_markdown):
            number = 1
            TagRevision.objects.create(
                tag=current,
                number=number,
                excerpt=current.excerpt,
                wiki_markdown=current.wiki_markdown,
                created_at=current.created_at,
            )
        # An imported wiki shows Stack Exchange's HTML until the tag is edited here, as an
        # imported post does (manage.py rerender_posts renders those edited here again).
        wiki_html = render_post(wiki)
        Tag.objects.filter(pk=tag.pk).update(
            excerpt=description, wiki_markdown=wiki, wiki_html=wiki_html
        )
        TagRevision.objects.create(
            tag=current,
            number=number + 1,
            author=editor,
            author_name=editor.name if editor else "",
            excerpt=description,
            wiki_markdown=wiki,
            summary=summary[:300],
            created_at=timezone.now(),
        )
    publish(events.TagDescribed(tag_id=tag.pk, editor_id=editor and editor.pk))
    tag.excerpt, tag.wiki_markdown, tag.wiki_html = description, wiki, wiki_html
    return True
