"""What a visitor may not see never appears: deleted and hidden posts, answers and comments
on them, deleted comments, whoever asks and however."""

import pytest
from django.utils import timezone

from tests import factories
from tests.clients import client_for


@pytest.fixture
def unseen(db):
    """A visible thread next to everything no visitor may see."""
    now = timezone.now()
    seen = factories.question(title="Seen question", tags=["seen"])
    seen_answer = factories.answer(seen)
    deleted_answer = factories.answer(seen, deleted_at=now, body="A deleted answer.")
    hidden_answer = factories.answer(seen, hidden_at=now, body="A hidden answer.")
    deleted = factories.question(title="Deleted question", deleted_at=now, tags=["seen"])
    hidden = factories.question(title="Hidden question", hidden_at=now, tags=["seen"])
    under_deleted = factories.answer(deleted)
    under_hidden = factories.answer(hidden)
    comments = [
        factories.comment(seen, deleted_at=now),
        factories.comment(deleted_answer),
        factories.comment(deleted),
        factories.comment(hidden),
        factories.comment(under_hidden),
    ]
    return {
        "seen": seen,
        "seen_answer": seen_answer,
        "seen_comment": factories.comment(seen_answer),
        "questions": [deleted, hidden],
        "answers": [deleted_answer, hidden_answer, under_deleted, under_hidden],
        "comments": comments,
    }


def _all_ids(body):
    return {
        item.get(key)
        for item in body["items"]
        for key in ("question_id", "answer_id", "comment_id", "post_id")
        if key in item
    }


def test_lists_leave_out_what_visitors_may_not_see(se, unseen):
    posts = [*unseen["questions"], *unseen["answers"]]
    unseen_posts = {post.pk for post in posts}
    unseen_comments = {comment.pk for comment in unseen["comments"]}
    assert _all_ids(se.get("questions")) == {unseen["seen"].pk}
    assert {item["answer_id"] for item in se.get("answers")["items"]} == {unseen["seen_answer"].pk}
    assert {item["comment_id"] for item in se.get("comments")["items"]} == {
        unseen["seen_comment"].pk
    }
    assert {item["post_id"] for item in se.get("posts")["items"]} == {
        unseen["seen"].pk,
        unseen["seen_answer"].pk,
    }
    for path in ["search/advanced", "questions/unanswered", "questions/no-answers"]:
        assert not _all_ids(se.get(path)) & unseen_posts
    assert not _all_ids(se.get("search", tagged="seen")) & unseen_posts
    ids = ";".join(str(pk) for pk in unseen_posts)
    for path in ["questions", "answers", "posts"]:
        assert se.get(f"{path}/{ids}")["items"] == []
    for path in ["questions", "answers", "posts"]:
        assert not {item["comment_id"] for item in se.get(f"{path}/{ids}/comments")["items"]}
    assert se.get(f"questions/{ids}/answers")["items"] == []
    assert se.get(f"answers/{ids}/questions")["items"] == []
    comment_ids = ";".join(str(pk) for pk in unseen_comments)
    assert se.get(f"comments/{comment_ids}")["items"] == []


def test_a_members_lists_leave_out_their_deleted_and_hidden_posts(se, unseen):
    authors = {post.author_id for post in [*unseen["questions"], *unseen["answers"]]}
    ids = ";".join(str(pk) for pk in authors)
    assert se.get(f"users/{ids}/questions")["items"] == []
    assert se.get(f"users/{ids}/answers")["items"] == []


def test_a_deleted_accepted_answer_is_not_named_and_does_not_answer(se, question):
    factories.answer(question, accepted=True, deleted_at=timezone.now())
    (item,) = se.get(f"questions/{question.pk}")["items"]
    assert "accepted_answer_id" not in item
    assert item["is_answered"] is False


def test_a_moderators_session_sees_no_more_than_a_visitor(unseen, moderator):
    client = client_for(moderator)
    body = client.get("/api/2.3/questions").json()
    assert {item["question_id"] for item in body["items"]} == {unseen["seen"].pk}


def test_tag_counts_and_info_totals_count_only_listed_questions(se, unseen):
    (item,) = se.get("info")["items"]
    assert item["total_questions"] == 1
    assert item["total_answers"] == 1
    assert item["total_comments"] == 1


def test_an_accepted_answer_that_flags_hid_is_not_counted_as_accepted(se, question):
    factories.answer(question, accepted=True, hidden_at=timezone.now())
    assert se.get("info")["items"][0]["total_accepted"] == 0
    assert [item["question_id"] for item in se.get("questions/unanswered")["items"]] == [
        question.pk
    ]
