"""Posts.xml: questions (and what is not imported), then answers in a second pass, so that
every answer's question exists whatever order the file is in; then the accepted answers."""

import re
from collections import Counter

from django.utils.text import slugify

from core.markdown import render_post
from questions.importers.stackexchange.history import post_revisions
from questions.importers.stackexchange.html import shown_html
from questions.importers.stackexchange.rows import BATCH_SIZE, batched
from questions.importers.stackexchange.state import existing_source_urls
from questions.importers.stackexchange.tag_wikis import (
    EXCERPT,
    WIKI,
    TagWikiPost,
    tag_wiki_post,
)
from questions.importers.stackexchange.tags import ensure_tags, parse_tags, tag_name
from questions.models import Post, PostRevision
from questions.search import search_index_update

# PostTypeId
QUESTION, ANSWER, TAG_WIKI_EXCERPT, TAG_WIKI = 1, 2, 4, 5

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,4})?", re.IGNORECASE)


def import_questions(state):
    not_imported = Counter()
    for batch in batched(state.rows("Posts.xml")):
        questions = []
        dump_posts = []
        for row in batch:
            post_id = row.integer("Id")
            post_type = row.integer("PostTypeId")
            imported = post_type in (QUESTION, ANSWER)
            if post_type == QUESTION:
                questions.append(row)
            elif post_type in (TAG_WIKI_EXCERPT, TAG_WIKI):
                # A new tag's description and wiki, with their history (tag_wikis.py);
                # votes and comments on them are left out like other posts' of other types.
                state.unimported_posts.add(post_id)
                kind = EXCERPT if post_type == TAG_WIKI_EXCERPT else WIKI
                tag_pk = tag_wiki_post(state, post_id, kind)
                if tag_pk is None:
                    not_imported["tag wiki excerpts" if kind == EXCERPT else "tag wikis"] += 1
                else:
                    imported = True
                    state.tag_wiki_posts.append(
                        TagWikiPost(post_id, tag_pk, kind, row.text("Body"))
                    )
            elif post_type != ANSWER:
                state.unimported_posts.add(post_id)
                not_imported["posts of other types"] += 1
            dump_posts.append((post_id, imported))
        state.history.add_dump_posts(dump_posts)
        _create_posts(state, questions, Post.PostType.QUESTION)
    skipped = state.skip_all("Posts.xml: ", not_imported, separator=", ")
    state.say(
        f"Posts.xml: {state.summary.created['questions']} questions created; "
        f"not imported as posts: {skipped or 'nothing'} "
        f"({len(state.tag_wiki_posts)} tag wiki posts of new tags kept with the tags)"
    )


def import_answers(state):
    answers = (row for row in state.rows("Posts.xml") if row.integer("PostTypeId") == ANSWER)
    for batch in batched(answers):
        _create_posts(state, batch, Post.PostType.ANSWER)
    state.say(f"Posts.xml: {state.summary.created['answers']} answers created")


def set_accepted_answers(state):
    updates = []
    absent = 0
    for question_id, answer_id in state.accepted_answers.items():
        answer_pk = state.answers.get(answer_id)
        if answer_pk is None:
            absent += 1
        else:
            updates.append(Post(pk=state.questions[question_id], accepted_answer_id=answer_pk))
    Post.objects.bulk_update(updates, ["accepted_answer"], batch_size=BATCH_SIZE)
    state.skip("Posts.xml: accepted answers absent from the dump", absent)
    state.say(
        f"Posts.xml: {len(updates)} accepted answers set, "
        f"{absent} accepted answers absent from the dump skipped"
    )


def _create_posts(state, rows, post_type):
    is_question = post_type == Post.PostType.QUESTION
    known = state.questions if is_question else state.answers
    by_url = {}
    for row in rows:
        post_id = row.integer("Id")
        url = f"{state.site}/{'q' if is_question else 'a'}/{post_id}"
        if post_id in known or url in by_url:
            raise row.error(f"post {post_id} appears twice in the dump")
        if not is_question:
            _check_question(state, row, post_id, row.optional_integer("ParentId"))
        by_url[url] = (post_id, row)
    existing = existing_source_urls(Post.objects, by_url)
    for url, pk in existing.items():
        known[by_url[url][0]] = pk
    state.summary.already_present += len(existing)
    fresh = [(url, post_id, row) for url, (post_id, row) in by_url.items() if url not in existing]
    if not fresh:
        return

    histories = state.history.histories([post_id for _, post_id, _ in fresh])
    user_ids = {
        user_id
        for _, _, row in fresh
        for user_id in (
            row.optional_integer("OwnerUserId"),
            row.optional_integer("LastEditorUserId"),
        )
    }
    user_ids.update(
        snapshot.user_id for history in histories.values() for snapshot in history.revisions
    )
    user_ids.update(user_id for history in histories.values() for user_id, _ in history.closers)
    names = state.user_names(user_ids)
    tag_names = {url: parse_tags(row.get("Tags", "")) for url, _, row in fresh}
    for url, _, row in fresh:
        for name in tag_names[url]:
            tag_name(row, name)
    ensure_tags(state, [name for names_of_post in tag_names.values() for name in names_of_post])

    posts = [
        _new_post(state, row, post_type, url, histories.get(post_id), names)
        for url, post_id, row in fresh
    ]
    Post.objects.bulk_create(posts)

    post_tags = []
    revisions = []
    for (url, post_id, row), post in zip(fresh, posts, strict=True):
        known[post_id] = post.pk
        state.new_posts.add(post_id)
        if is_question:
            if accepted := row.optional_integer("AcceptedAnswerId"):
                state.accepted_answers[post_id] = accepted
        else:
            state.answer_counts[post.parent_id] += 1
        # In the order the author gave them, which the thread shows.
        for position, name in enumerate(tag_names[url]):
            post_tags.append(
                Post.tags.through(post_id=post.pk, tag_id=state.tags[name], position=position)
            )
            state.tag_counts[state.tags[name]] += 1
        revisions.extend(
            post_revisions(state, post, " ".join(tag_names[url]), histories.get(post_id), names)
        )
    Post.tags.through.objects.bulk_create(post_tags, batch_size=BATCH_SIZE)
    # Imported posts are searchable too: one UPDATE for the batch, once its tags exist.
    search_index_update(post_ids=[post.pk for post in posts])
    PostRevision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    state.summary.created["questions" if is_question else "answers"] += len(posts)


def _check_question(state, row, answer_id, parent_id):
    if parent_id in state.questions:
        return
    if parent_id is None:
        raise row.error(f"answer {answer_id} has no ParentId")
    if state.history.holds_post(parent_id):
        raise row.error(f"answer {answer_id} refers to post {parent_id}, which is not a question")
    raise row.error(f"answer {answer_id} refers to question {parent_id}, which is not in the dump")


def _new_post(state, row, post_type, url, history, names):
    is_question = post_type == Post.PostType.QUESTION
    # Stack Exchange keeps the Markdown source only in the history; the HTML body is
    # the fallback, and is valid CommonMark as it stands. What the post shows is the
    # Body Stack Exchange rendered, until an edit here renders the Markdown anew.
    body = history.body if history and history.body is not None else row.text("Body")
    body_html = shown_html(row.text("Body")) if "Body" in row else render_post(body)
    title = row.text("Title")[:250]
    author, author_name = state.person(
        row.optional_integer("OwnerUserId"), row.get("OwnerDisplayName", ""), names, of="posts"
    )
    editor_id = row.optional_integer("LastEditorUserId")
    last_editor, last_editor_name = (None, "")
    if editor_id is not None or row.get("LastEditorDisplayName"):
        last_editor, last_editor_name = state.person(
            editor_id, row.get("LastEditorDisplayName", ""), names, of="last edits"
        )
    created_at = row.date("CreationDate")
    closed_at = row.optional_date("ClosedDate")
    language = row.get("Language") or state.language
    original_language = row.get("OriginalLanguage", "")
    for code in filter(None, (language, original_language)):
        if not LANGUAGE_CODE.fullmatch(code):
            raise row.error(f"{code!r} is not a language code such as en or de")
    return Post(
        post_type=post_type,
        parent_id=None if is_question else state.questions[row.integer("ParentId")],
        title=title,
        slug=(slugify(title)[:250].strip("-") or "question") if is_question else "",
        body_markdown=body,
        body_html=body_html,
        author_id=author,
        author_name=author_name,
        score=row.optional_integer("Score") or 0,
        view_count=max(0, row.optional_integer("ViewCount") or 0),
        created_at=created_at,
        last_activity_at=row.optional_date("LastActivityDate") or created_at,
        last_edited_at=row.optional_date("LastEditDate"),
        last_editor_id=last_editor,
        last_editor_name=last_editor_name,
        closed_at=closed_at,
        close_reason=history.close_reason if closed_at and history else "",
        closers=_closers(state, history, names) if closed_at and history else [],
        locked_at=history.locked_at if history else None,
        protected_at=history.protected_at if history else None,
        # Posts.xml says since when in CommunityOwnedDate; the history may say it alone.
        wiki_at=row.optional_date("CommunityOwnedDate") or (history.wiki_at if history else None),
        migrated_from=history.migrated_from if history else "",
        migrated_to=history.migrated_to if history else "",
        migrated_at=history.migrated_at if history else None,
        source_url=url,
        licence=row.get("ContentLicense", "")[:50],
        language=language,
        original_language=original_language,
    )


def _closers(state, history, names):
    """Who closed the question, linked to their accounts where Users.xml has them."""
    closers = []
    for user_id, name in history.closers:
        pk = state.users.get(user_id) if isinstance(user_id, int) else None
        closers.append({"name": (names.get(pk) or name or f"user{user_id}")[:100], "user": pk})
    return closers
