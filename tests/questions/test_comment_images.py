"""Image Markdown in a comment: comments show no images, so it shows as a link to the image,
as on Stack Exchange, and the comment box says so."""

import re
import uuid

import pytest

from questions.models import Comment
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def commenter(db):
    return factories.user(display_name="Commenter", reputation=50)


def comment(client, post, body):
    response = client.post(
        f"/posts/{post.pk}/comments/", {"body": body, "submission_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def comment_html(html, comment):
    """The comment's shown text."""
    after = html[html.index(f'id="comment-{comment.pk}"') :]
    return re.search(r'<span class="comment-text">(.*?)</span>', after, re.S)[1]


def test_an_image_in_a_comment_shows_as_a_link_named_by_its_alt_text(question, commenter):
    html = comment(
        client_for(commenter),
        question,
        "The chart ![vowel chart](https://example.com/vowels.png) says otherwise.",
    )

    shown = comment_html(html, Comment.objects.get())
    assert (
        'The chart <a href="https://example.com/vowels.png" rel="nofollow ugc noopener">'
        "vowel chart</a> says otherwise." in shown
    )
    assert "<img" not in shown
    assert "!" not in shown


def test_an_image_without_alt_text_shows_its_address_and_one_in_a_link_its_alt_text(
    question, commenter
):
    html = comment(
        client_for(commenter),
        question,
        "See ![](https://example.com/a.png) and [![the map](https://example.com/m.png)]"
        "(https://example.com/atlas) for both.",
    )

    shown = comment_html(html, Comment.objects.get())
    assert (
        '<a href="https://example.com/a.png" rel="nofollow ugc noopener">'
        "https://example.com/a.png</a>" in shown
    )
    assert '<a href="https://example.com/atlas" rel="nofollow ugc noopener">the map</a>' in shown
    assert "m.png" not in shown


def test_the_comment_box_says_that_images_show_as_links(question, commenter):
    html = client_for(commenter).get(question.get_absolute_url()).content.decode()

    assert "images show as links to them." in html
