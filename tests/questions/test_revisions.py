import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from questions import services
from questions.models import Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

DEMO_DATA = Path(__file__).resolve().parents[2] / "questions" / "demo_data"
DEMO_SITE = "https://demo.stapel.example"
START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
FIRST_BODY = "The quick brown fox jumps over the lazy dog, twice a day."


@pytest.fixture
def fox_question(author):
    """Asked on START, with its first revision a day later."""
    post = factories.question(
        title="Which animal jumps over the dog?",
        body=FIRST_BODY,
        tags=["grammar"],
        author=author,
        created_at=START,
    )
    factories.revision(post, created_at=START + timedelta(days=1))
    return post


def edit(client, post, **data):
    fields = {"title": post.title, "body": post.body_markdown, "tags": "grammar", "summary": ""}
    if not post.is_question:
        fields = {"body": post.body_markdown, "summary": ""}
    response = client.post(f"/posts/{post.pk}/edit/", {**fields, **data})
    assert response.status_code == 302, response.content.decode()
    post.refresh_from_db()
    return response


def revision_html(html, number):
    """The markup of revision `number` on the revisions page."""
    pattern = (
        rf'<li class="revision" id="revision-{number}">(.*?)</li>\s*(?=<li class="revision"|</ol>)'
    )
    return re.search(pattern, html, re.S)[1]


# The page


def test_revisions_are_listed_newest_first_with_number_author_time_and_summary(
    fox_question, author, people
):
    edit(client_for(author), fox_question, body=FIRST_BODY + " Really.", summary="made it stronger")
    edit(
        client_for(people["moderator"]),
        fox_question,
        body=FIRST_BODY + " Really!",
        summary="punctuation",
    )

    html = client_for(None).get(f"/posts/{fox_question.pk}/revisions/").content.decode()

    assert (
        html.index('id="revision-3"')
        < html.index('id="revision-2"')
        < html.index('id="revision-1"')
    )
    assert "punctuation" in revision_html(html, 3)
    assert people["moderator"].name in revision_html(html, 3)
    assert "made it stronger" in revision_html(html, 2)
    assert "Author" in revision_html(html, 2)
    assert '<time datetime="2020-01-02T12:00:00+00:00"' in revision_html(html, 1)
    assert "Original text" in revision_html(html, 1)


def test_first_revision_shows_the_initial_text_title_and_tags_without_changes(fox_question):
    html = client_for(None).get(f"/posts/{fox_question.pk}/revisions/").content.decode()

    first = revision_html(html, 1)
    assert FIRST_BODY in first
    assert "Which animal jumps over the dog?" in first
    assert '<span class="tag">grammar</span>' in first
    assert "<ins>" not in first and "<del>" not in first


def test_diff_marks_inserted_and_deleted_words(fox_question, author):
    edit(client_for(author), fox_question, body=FIRST_BODY.replace("brown", "red"))

    second = revision_html(
        client_for(None).get(f"/posts/{fox_question.pk}/revisions/").content.decode(), 2
    )

    assert "The quick <del>brown</del><ins>red</ins> fox jumps" in second


def test_diff_shows_changed_titles_and_tags(fox_question, author):
    factories.tag("animals")
    factories.reputation(author, amount=300)

    edit(
        client_for(author),
        fox_question,
        title="Which animal jumps over the lazy dog?",
        tags="animals",
    )

    second = revision_html(
        client_for(None).get(f"/posts/{fox_question.pk}/revisions/").content.decode(), 2
    )
    assert "Which animal jumps over the <ins>lazy </ins>dog?" in second
    assert '<ins class="tag">animals</ins>' in second
    assert '<del class="tag">grammar</del>' in second
    assert 'class="diff diff-body"' not in second


def test_diff_of_markup_in_markdown_is_shown_as_text_never_as_tags(fox_question, author):
    edit(
        client_for(author),
        fox_question,
        body=FIRST_BODY + "\n\n<script>alert('x')</script> <b>bold</b>",
    )

    html = client_for(None).get(f"/posts/{fox_question.pk}/revisions/").content.decode()

    assert (
        "<ins>\n\n&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;</ins>"
        in html
    )
    assert "<script>alert" not in html
    # The diff shows the tags as text; the revision rendered below it bolds (its own test).
    diff = re.search(r'<pre class="diff diff-body">(.*?)</pre>', html, re.S)[1]
    assert "<b>bold" not in diff


def test_revisions_of_an_answer_name_its_question(fox_question):
    answer = factories.answer(fox_question, body="An answer that is long enough to be saved.")
    edit(
        client_for(answer.author),
        answer,
        body="An answer that is long enough to be saved, and edited.",
    )

    response = client_for(None).get(f"/posts/{answer.pk}/revisions/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Revisions of an answer" in html
    assert f'href="{fox_question.get_absolute_url()}#answer-{answer.pk}"' in html
    assert "saved<ins>, and edited</ins>." in html


@pytest.mark.parametrize(
    "who", ["anonymous", "author", "other user", "privileged editor", "moderator"]
)
def test_everyone_who_can_see_a_post_can_read_its_revisions(fox_question, people, who):
    assert client_for(people[who]).get(f"/posts/{fox_question.pk}/revisions/").status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("author", 200),
        ("other user", 404),
        ("privileged editor", 404),
        ("moderator", 200),
    ],
)
def test_revisions_of_a_deleted_post_exist_only_for_its_author_and_the_moderators(
    fox_question, people, who, status
):
    services.post_delete(post=fox_question, user=people["author"])

    assert client_for(people[who]).get(f"/posts/{fox_question.pk}/revisions/").status_code == status


def test_revisions_of_answers_to_a_deleted_question_are_hidden_from_others(fox_question, people):
    answer = factories.answer(fox_question)
    services.post_delete(post=fox_question, user=None)

    assert client_for(people["other user"]).get(f"/posts/{answer.pk}/revisions/").status_code == 404
    assert client_for(people["moderator"]).get(f"/posts/{answer.pk}/revisions/").status_code == 200


def test_revisions_page_costs_the_same_queries_for_two_revisions_as_for_thirty(
    fox_question, author, django_assert_max_num_queries
):
    busy = factories.question(author=author, body=FIRST_BODY)
    for number in range(30):
        factories.revision(
            busy,
            body=f"{FIRST_BODY} Edit number {number}.",
            tags="grammar",
            author=factories.user(),
            created_at=START + timedelta(days=number + 1),
        )
    factories.revision(
        fox_question, body=FIRST_BODY + " Second.", created_at=START + timedelta(days=2)
    )

    with django_assert_max_num_queries(2) as few:
        client_for(None).get(f"/posts/{fox_question.pk}/revisions/")
    with django_assert_max_num_queries(2) as many:
        response = client_for(None).get(f"/posts/{busy.pk}/revisions/")

    assert len(few.captured_queries) == len(many.captured_queries)
    assert response.content.decode().count('class="revision"') == 30


# Rolling back


@pytest.fixture
def edited(fox_question, author):
    edit(
        client_for(author),
        fox_question,
        body=FIRST_BODY.replace("brown", "red"),
        summary="recoloured",
    )
    return fox_question


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("author", 302),
        ("other user", 403),
        ("privileged editor", 302),
        ("moderator", 302),
    ],
)
def test_rollback_answers_each_kind_of_user_as_its_permission_says(edited, people, who, status):
    response = client_for(people[who]).post(f"/posts/{edited.pk}/revisions/1/rollback/")

    assert response.status_code == status
    edited.refresh_from_db()
    rolled_back = edited.body_markdown == FIRST_BODY
    assert rolled_back == (who not in {"anonymous", "other user"})


def test_anonymous_rollback_is_sent_to_log_in_and_back_to_the_revisions(edited):
    response = Client().post(f"/posts/{edited.pk}/revisions/1/rollback/")

    assert response["Location"] == f"/users/login/?next=/posts/{edited.pk}/revisions/"


def test_rollback_is_a_post_only_action(edited, author):
    assert client_for(author).get(f"/posts/{edited.pk}/revisions/1/rollback/").status_code == 405


def test_rollback_of_a_deleted_post_does_not_exist_for_others(edited, people):
    services.post_delete(post=edited, user=None)

    response = client_for(people["privileged editor"]).post(
        f"/posts/{edited.pk}/revisions/1/rollback/"
    )

    assert response.status_code == 404


def test_rollback_to_an_unknown_revision_answers_404(edited, author):
    assert client_for(author).post(f"/posts/{edited.pk}/revisions/9/rollback/").status_code == 404


def test_rollback_appends_a_revision_that_the_diff_shows(edited, people):
    client = client_for(people["privileged editor"])

    response = client.post(f"/posts/{edited.pk}/revisions/1/rollback/", follow=True)

    html = response.content.decode()
    assert "Rolled back to revision 1." in html
    assert list(edited.revisions.values_list("number", flat=True)) == [1, 2, 3]
    third = revision_html(html, 3)
    assert "Rolled back to revision 1" in third
    assert "The quick <del>red</del><ins>brown</ins> fox" in third
    edited.refresh_from_db()
    assert edited.last_editor == people["privileged editor"]


def test_rolling_back_to_what_the_post_already_says_changes_nothing(edited, author):
    client_for(author).post(f"/posts/{edited.pk}/revisions/1/rollback/")

    response = client_for(author).post(f"/posts/{edited.pk}/revisions/1/rollback/", follow=True)

    assert "The post already reads like revision 1." in response.content.decode()
    assert edited.revisions.count() == 3


def test_rollback_buttons_are_offered_on_older_revisions_to_those_who_may_edit(edited, people):
    buttons = {
        who: client_for(user)
        .get(f"/posts/{edited.pk}/revisions/")
        .content.decode()
        .count("/rollback/")
        for who, user in people.items()
    }

    assert buttons == {
        "anonymous": 0,
        "author": 1,
        "other user": 0,
        "privileged editor": 1,
        "moderator": 1,
    }


# Imported history


@pytest.fixture
def demo():
    call_command("import_stackexchange", str(DEMO_DATA), site_url=DEMO_SITE, quiet=True)


def test_imported_question_shows_its_stack_exchange_edits(demo):
    question = Post.objects.get(source_url=f"{DEMO_SITE}/q/9")

    html = client_for(None).get(f"/posts/{question.pk}/revisions/").content.decode()

    first, second = revision_html(html, 1), revision_html(html, 2)
    assert "Code wird nach einer Liste falsch angezeigt" in first
    assert "Beispiel und bisherige Versuche ergänzt, Titel präzisiert" in second
    assert "<del>Code</del><ins>Warum</ins> wird<ins> mein Codeblock</ins> nach einer" in second
    assert '<span class="tag">markdown</span>' in second
    assert '<ins class="tag">formatierung</ins>' in second
    assert 'id="revision-3"' not in html


def test_imported_answer_shows_its_stack_exchange_edits(demo):
    answer = Post.objects.get(source_url=f"{DEMO_SITE}/a/7")

    html = client_for(None).get(f"/posts/{answer.pk}/revisions/").content.decode()

    second = revision_html(html, 2)
    assert "added a paragraph about keeping moderator notes" in second
    assert "<ins>" in second
    assert "Yes, there is such a point" in revision_html(html, 1)


def test_imported_posts_can_be_rolled_back_to_their_first_version(demo):
    question = Post.objects.get(source_url=f"{DEMO_SITE}/q/9")

    client_for(factories.moderator()).post(f"/posts/{question.pk}/revisions/1/rollback/")

    question.refresh_from_db()
    assert question.title == "Code wird nach einer Liste falsch angezeigt"
    assert [tag.name for tag in question.tags.all()] == ["markdown"]
    assert question.revisions.count() == 3
