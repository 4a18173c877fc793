"""@mentions in comments: who can be reached (the post's author, commenters and editors),
how the names are matched, the links they render as, the editor's suggestions, and the
limits on who is told."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import tasks
from notifications.models import Notification
from questions.models import Comment
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(db):
    return factories.user(display_name="Asker Person", username="asker")


@pytest.fixture
def thread(asker):
    return factories.question(author=asker, title="How do I form the past tense")


@pytest.fixture
def bob(thread):
    """Took part in the thread's question: commented on it."""
    bob = factories.user(display_name="Bob Builder", username="bb", reputation=50)
    factories.comment(thread, author=bob, body="Which verbs do you mean exactly?")
    return bob


@pytest.fixture
def carol(db):
    """May comment on other people's posts (50 reputation)."""
    return factories.user(display_name="Carol", username="carol", reputation=50)


def post_comment(user, post, body):
    response = client_for(user).post(
        f"/posts/{post.pk}/comments/", {"body": body, "submission_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302, response
    return Comment.objects.filter(post=post, author=user).latest("id")


def mention_link(user, word):
    return (
        f'<a class="mention" href="{user.get_absolute_url()}" '
        f'rel="nofollow ugc noopener">@{word}</a>'
    )


def kinds(user):
    return [entry.kind for entry in Notification.objects.filter(recipient=user).order_by("id")]


def suggest(user, post, q):
    return client_for(user).get(f"/posts/{post.pk}/mentions/", {"q": q})


# Rendering


def test_a_mention_of_someone_who_commented_links_to_their_profile_and_tells_them(
    thread, bob, carol
):
    comment = post_comment(carol, thread, "@BobBuilder could you say which verbs you meant?")
    link = mention_link(bob, "BobBuilder")
    assert link == (
        f'<a class="mention" href="/users/{bob.pk}/bob-builder/" '
        f'rel="nofollow ugc noopener">@BobBuilder</a>'
    )
    assert comment.body_html.startswith(link)
    assert link in client_for(None).get(thread.get_absolute_url()).content.decode()
    assert kinds(bob) == ["mention"]


def test_a_mention_of_the_username_and_of_an_editor_reaches_them_too(thread, carol):
    editor = factories.user(display_name="Eddie Tor", username="copyedit")
    factories.revision(thread, author=editor, body=thread.body_markdown + " Fixed.")
    comment = post_comment(carol, thread, "Thanks for the fix, @copyedit, it reads better.")
    assert mention_link(editor, "copyedit") in comment.body_html
    assert kinds(editor) == ["mention"]


def test_strangers_and_unknown_names_stay_plain_text_and_are_told_nothing(thread, bob, carol):
    stranger = factories.user(display_name="Stranger Danger", username="stranger")
    body = "@stranger and @StrangerDanger and @nobodyhere: any idea what the tense is called?"
    comment = post_comment(carol, thread, body)
    assert "<a" not in comment.body_html
    assert "@StrangerDanger" in comment.body_html
    assert kinds(stranger) == []
    assert kinds(bob) == []


def test_mentions_in_code_spans_and_links_are_left_alone_and_tell_nobody(thread, bob, carol):
    body = "Write `@BobBuilder` to ping, see [@BobBuilder](https://example.com/bob) for more."
    comment = post_comment(carol, thread, body)
    assert comment.body_html == (
        "Write <code>@BobBuilder</code> to ping, see "
        '<a href="https://example.com/bob" rel="nofollow ugc noopener">@BobBuilder</a> for more.'
    )
    assert kinds(bob) == []


def test_an_email_address_is_no_mention(thread, bob, carol):
    comment = post_comment(carol, thread, "Write to me at carol@bobbuilder.example instead.")
    assert "<a" not in comment.body_html
    assert kinds(bob) == []


def test_a_mention_in_emphasis_is_linked_and_the_full_stop_after_it_is_not(thread, bob, carol):
    comment = post_comment(carol, thread, "Thanks, **@bobbuilder**. And thanks @bobbuilder.")
    assert comment.body_html == (
        f"Thanks, <strong>{mention_link(bob, 'bobbuilder')}</strong>. "
        f"And thanks {mention_link(bob, 'bobbuilder')}."
    )
    assert kinds(bob) == ["mention"]


def test_markup_in_a_name_typed_after_an_at_is_escaped(thread, carol):
    comment = post_comment(carol, thread, "@<script>alert(1)</script> is not a name at all.")
    assert "<script" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html


# Matching names


def test_a_unique_prefix_of_three_letters_reaches_its_person(thread, bob, carol):
    comment = post_comment(carol, thread, "@bob would know, I think.")
    assert mention_link(bob, "bob") in comment.body_html
    assert kinds(bob) == ["mention"]


def test_a_prefix_that_starts_two_names_reaches_neither(thread, bob, carol):
    bobby = factories.user(display_name="Bobby Tables", username="bt")
    factories.comment(thread, author=bobby, body="Past tense of which verb, though?")
    comment = post_comment(carol, thread, "@bob or @bobb, either of you?")
    assert "<a" not in comment.body_html
    assert kinds(bob) == [] and kinds(bobby) == []

    comment = post_comment(carol, thread, "@bobbu then, and @BobbyT too.")
    assert mention_link(bob, "bobbu") in comment.body_html
    assert mention_link(bobby, "BobbyT") in comment.body_html
    assert kinds(bob) == ["mention"] and kinds(bobby) == ["mention"]


def test_an_exact_name_wins_over_longer_names_it_starts(thread, carol):
    ann = factories.user(display_name="Ann", username="ann1")
    anna = factories.user(display_name="Anna Bell", username="annab")
    for person in (ann, anna):
        factories.comment(thread, author=person, body="I have seen this one before.")
    comment = post_comment(carol, thread, "@ann is right about that.")
    assert mention_link(ann, "ann") in comment.body_html
    assert kinds(ann) == ["mention"] and kinds(anna) == []


def test_a_two_letter_word_is_no_mention(thread, carol):
    al = factories.user(display_name="Al", username="al")
    factories.comment(thread, author=al, body="A short name, a long comment.")
    comment = post_comment(carol, thread, "@al do you know?")
    assert "<a" not in comment.body_html
    assert kinds(al) == []


def test_the_author_of_a_deleted_comment_took_no_part(thread, carol):
    gone = factories.user(display_name="Gone Away", username="gone")
    factories.comment(thread, author=gone, body="This was removed.", deleted_at=timezone.now())
    comment = post_comment(carol, thread, "@GoneAway what did you say?")
    assert "<a" not in comment.body_html
    assert kinds(gone) == []


# Who is told


def test_the_mentioned_post_author_gets_one_entry_a_mention(thread, asker, carol):
    comment = post_comment(carol, thread, "@AskerPerson which verbs do you mean?")
    assert mention_link(asker, "AskerPerson") in comment.body_html
    assert kinds(asker) == ["mention"]


def test_mentioning_oneself_tells_nobody_and_links_nothing(thread, bob):
    comment = post_comment(bob, thread, "As I, @BobBuilder, said above: which verbs?")
    assert "<a" not in comment.body_html
    assert kinds(bob) == []


def test_a_member_is_told_of_no_more_mentions_by_the_same_person_than_the_hourly_limit(
    settings, thread, bob, carol
):
    settings.FORUM_MENTIONS_PER_HOUR = 2
    for number in range(3):
        comment = post_comment(carol, thread, f"@BobBuilder, question number {number + 1}?")
        # The mention is still shown as one: only the telling is limited.
        assert mention_link(bob, "BobBuilder") in comment.body_html
    assert kinds(bob) == ["mention", "mention"]
    # Someone else may still mention them.
    dave = factories.user(display_name="Dave", reputation=50)
    post_comment(dave, thread, "@BobBuilder, mine is different.")
    assert kinds(bob) == ["mention"] * 3


def test_the_mentions_of_an_author_suspended_before_they_are_sent_tell_nobody(
    monkeypatch, thread, asker, bob, carol
):
    # The worker runs the task later; meanwhile a moderator suspends the author.
    queued = []
    monkeypatch.setattr(tasks.comment_posted, "delay", queued.append)
    comment = post_comment(carol, thread, "@BobBuilder you are wrong and you know it.")
    assert queued == [comment.pk]
    carol.suspended_until = timezone.now() + timedelta(days=7)
    carol.save(update_fields=["suspended_until"])

    tasks.comment_posted(comment.pk)
    assert kinds(bob) == []
    # The comment itself still reaches the post's author.
    assert kinds(asker) == ["comment"]


def test_a_suspended_member_may_not_comment_so_mentions_nobody(thread, bob, carol):
    carol.suspended_until = timezone.now() + timedelta(days=7)
    carol.save(update_fields=["suspended_until"])
    response = client_for(carol).post(
        f"/posts/{thread.pk}/comments/",
        {"body": "@BobBuilder you are wrong.", "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 403
    assert kinds(bob) == []


def test_a_suspended_member_is_still_told_of_a_mention(thread, bob, carol):
    # Suspension stops what a member does, not what they may read: their inbox included.
    bob.suspended_until = timezone.now() + timedelta(days=7)
    bob.save(update_fields=["suspended_until"])
    comment = post_comment(carol, thread, "@BobBuilder, when you are back: which verbs?")
    assert mention_link(bob, "BobBuilder") in comment.body_html
    assert kinds(bob) == ["mention"]


# Suggestions while typing


def test_the_comment_form_points_the_script_at_the_suggestions(thread, carol):
    page = client_for(carol).get(thread.get_absolute_url()).content.decode()
    assert f'data-mention-url="/posts/{thread.pk}/mentions/"' in page
    assert re.search(r'<script src="[^"]*js/mentions\.[^"]*js" defer></script>', page)


def test_suggestions_list_the_participants_whose_names_start_with_what_was_typed(
    thread, asker, bob, carol
):
    factories.user(display_name="Bobby Stranger", username="bobbys")
    response = suggest(carol, thread, "bo")
    assert response.status_code == 200
    assert response.json() == {"names": [{"name": "Bob Builder", "word": "bobbuilder"}]}
    # By username too, with or without the @; never the viewer.
    assert suggest(carol, thread, "@B")["content-type"] == "application/json"
    assert suggest(carol, thread, "@B").json()["names"] == [
        {"name": "Bob Builder", "word": "bobbuilder"}
    ]
    assert suggest(bob, thread, "b").json()["names"] == []
    assert suggest(carol, thread, "").json()["names"] == [
        {"name": "Asker Person", "word": "askerperson"},
        {"name": "Bob Builder", "word": "bobbuilder"},
    ]
    assert suggest(carol, thread, "zed").json()["names"] == []


def test_suggested_words_reach_their_person_when_typed(thread, carol):
    twins = [factories.user(display_name="Sam", username=f"sam{number}") for number in (1, 2)]
    for twin in twins:
        factories.comment(thread, author=twin, body="Sam here, with a comment.")
    names = suggest(carol, thread, "sa").json()["names"]
    # The shown name is the same for both, so the usernames tell them apart.
    assert names == [{"name": "Sam", "word": "sam1"}, {"name": "Sam", "word": "sam2"}]
    comment = post_comment(carol, thread, f"@{names[1]['word']} did you mean the other verb?")
    assert mention_link(twins[1], "sam2") in comment.body_html


def test_suggestions_show_no_email_addresses_and_at_most_eight_names(
    thread, asker, carol, django_assert_max_num_queries
):
    for number in range(12):
        factories.comment(
            thread,
            author=factories.user(
                display_name=f"Reader {number:02}", email=f"reader{number}@example.org"
            ),
            body="I would like to know that too.",
        )
    client = client_for(carol)
    with django_assert_max_num_queries(4):
        response = client.get(f"/posts/{thread.pk}/mentions/", {"q": ""})
    names = response.json()["names"]
    assert len(names) == 8
    assert [name["name"] for name in names][:2] == ["Asker Person", "Reader 00"]
    content = response.content.decode()
    assert "example.org" not in content and "@" not in content


def test_suggestions_are_for_members_only(thread, bob):
    response = suggest(None, thread, "bo")
    assert response.status_code == 403
    assert "names" not in response.json()
    assert client_for(factories.user()).post(f"/posts/{thread.pk}/mentions/").status_code == 405


def test_suggestions_for_a_post_the_viewer_may_not_see_are_not_found(asker, carol):
    deleted = factories.question(author=asker, deleted_at=timezone.now())
    assert suggest(carol, deleted, "as").status_code == 404
    assert suggest(asker, deleted, "as").status_code == 200
    assert client_for(carol).get("/posts/999999/mentions/").status_code == 404


def test_suggestions_for_an_answer_name_the_answers_participants(thread, bob, carol):
    answerer = factories.user(display_name="Answer Person", username="answerperson")
    answer = factories.answer(thread, author=answerer)
    # Bob commented on the question, not on the answer.
    assert suggest(carol, answer, "").json()["names"] == [
        {"name": "Answer Person", "word": "answerperson"}
    ]
