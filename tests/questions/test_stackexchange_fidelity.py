"""What an imported Stack Exchange site shows: the HTML Stack Exchange rendered, community
wiki, notices, old close reasons and who closed, the author's tag order, local links, and
what the dump held that the import left out."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from questions import services
from questions.models import Comment, Post, ReputationEvent
from tests import factories
from tests.clients import client_for
from tests.questions import test_import_stackexchange
from tests.questions.test_import_stackexchange import (
    CONLANG_DUMP,
    SITE,
    answer_row,
    comment_row,
    history_row,
    needs_conlang_dump,
    question_row,
    run_import,
    user_row,
    xml_rows,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
write_dump = test_import_stackexchange.write_dump  # the fixture that writes a small dump


def thread(client, question):
    response = client.get(question.get_absolute_url(), **EN)
    assert response.status_code == 200
    return response.content.decode()


# The body Stack Exchange rendered


@pytest.mark.django_db
def test_an_unedited_imported_post_shows_the_body_stack_exchange_rendered(write_dump, client):
    folder = write_dump(
        Posts=[
            question_row(
                1,
                Body='<p>Rendered <b>there</b></p><script>alert(1)</script><p onclick="x()">ok</p>',
            )
        ],
        PostHistory=[history_row(1, 1, 2, "g1", "Source with *Markdown*")],
    )

    run_import(folder, "--quiet")

    question = Post.objects.get()
    assert question.body_markdown == "Source with *Markdown*"
    assert "Rendered" in question.body_html
    assert "<script" not in question.body_html
    assert "onclick" not in question.body_html
    assert "Rendered" in thread(client, question)


@pytest.mark.django_db
def test_an_imported_body_keeps_the_classes_of_spoilers_and_tag_links(write_dump):
    folder = write_dump(
        Posts=[
            question_row(
                1,
                Body=(
                    '<blockquote class="spoiler"><p>The end</p></blockquote>'
                    '<p><a href="/questions/tagged/syntax" class="post-tag evil">syntax</a></p>'
                ),
            )
        ],
        PostHistory=[history_row(1, 1, 2, "g1", ">! The end\n\n[tag:syntax]")],
    )

    run_import(folder, "--quiet")

    body = Post.objects.get().body_html
    assert '<blockquote class="spoiler"' in body
    assert 'class="post-tag"' in body
    assert "evil" not in body


@pytest.mark.django_db
def test_an_edit_renders_the_markdown_with_our_pipeline_instead(write_dump):
    folder = write_dump(
        Posts=[question_row(1, Body="<p>Rendered there</p>")],
        PostHistory=[history_row(1, 1, 2, "g1", "Source")],
    )
    run_import(folder, "--quiet")
    question = Post.objects.get()
    editor = User.objects.get()

    services.post_edit(post=question, editor=editor, body="Now *edited* here")

    question.refresh_from_db()
    assert question.body_html == "<p>Now <em>edited</em> here</p>"


@needs_conlang_dump
@pytest.mark.django_db
def test_every_conlang_post_shows_the_dumps_body_through_the_allowlist():
    run_import(CONLANG_DUMP, "--quiet")

    bodies = {
        int(row["Id"]): row["Body"]
        for row in xml_rows(CONLANG_DUMP / "Posts.xml")
        if row["PostTypeId"] in ("1", "2")
    }
    shown = {
        int(url.rsplit("/", 1)[1]): html
        for url, html in Post.objects.values_list("source_url", "body_html")
    }
    assert shown.keys() == bodies.keys()
    same = sum(1 for post_id, html in shown.items() if _text(html) == _text(bodies[post_id]))
    # Every post reads as Stack Exchange showed it; only links to the site itself differ.
    assert same == len(bodies)


def _text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# Local links


@pytest.mark.django_db
def test_links_to_the_imported_sites_posts_and_users_point_at_our_pages(write_dump):
    folder = write_dump(
        Users=[user_row(1, DisplayName="Ada"), user_row(7, DisplayName="Grace")],
        Posts=[
            question_row(
                1,
                Body=(
                    f'<p><a href="{SITE}/questions/2/second-question">the other</a>, '
                    f'<a href="{SITE}/a/3">its answer</a>, '
                    f'<a href="https://example.stackexchange.com/questions/2/x/3#3">again</a>, '
                    f'<a href="{SITE}/users/7/grace">Grace</a>, '
                    f'<a href="{SITE}/questions/999/gone">gone</a>, '
                    '<a href="https://elsewhere.example/questions/2">elsewhere</a></p>'
                ),
            ),
            question_row(2, Title="Second question"),
            answer_row(3, 2),
        ],
        Comments=[comment_row(1, 2, Text=f"See [this]({SITE}/q/1)")],
    )

    run_import(folder, "--quiet")

    first = Post.objects.get(source_url=f"{SITE}/q/1")
    second = Post.objects.get(source_url=f"{SITE}/q/2")
    answer = Post.objects.get(source_url=f"{SITE}/a/3")
    grace = User.objects.get(display_name="Grace")
    hrefs = re.findall(r'href="([^"]*)"', first.body_html)
    assert hrefs == [
        second.get_absolute_url(),
        answer.get_absolute_url(),
        answer.get_absolute_url(),
        grace.get_absolute_url(),
        f"{SITE}/questions/999/gone",
        "https://elsewhere.example/questions/2",
    ]
    assert f'href="{first.get_absolute_url()}"' in Comment.objects.get().body_html


# Community wiki


@pytest.mark.django_db
def test_a_community_wiki_post_is_marked_and_its_votes_give_no_reputation(write_dump):
    folder = write_dump(
        Users=[user_row(1, DisplayName="Ada", Reputation=1)],
        Posts=[
            question_row(1),
            answer_row(2, 1, CommunityOwnedDate="2020-02-03T00:00:00.000"),
            answer_row(3, 1),
        ],
        PostHistory=[
            history_row(1, 1, 2, "g1", "Question"),
            history_row(2, 1, 16, "g2", "", CreationDate="2020-02-04T00:00:00.000"),
        ],
    )
    run_import(folder, "--quiet")
    question = Post.objects.get(source_url=f"{SITE}/q/1")
    wiki_answer = Post.objects.get(source_url=f"{SITE}/a/2")
    plain_answer = Post.objects.get(source_url=f"{SITE}/a/3")
    assert question.wiki_at is not None
    assert wiki_answer.wiki_at is not None
    assert plain_answer.wiki_at is None
    page = thread(Client(), question)
    assert page.count("post-wiki-note") == 2

    ada = User.objects.get()
    voter = factories.user(reputation=200)
    voter_client = client_for(voter)
    for post in (question, wiki_answer):
        voter_client.post(reverse("questions:vote", args=[post.pk]), {"value": "up"}, **EN)
    voter_client.post(reverse("questions:vote", args=[wiki_answer.pk]), {"value": "down"}, **EN)
    assert Post.objects.get(pk=wiki_answer.pk).score == 0  # the dump's 1, then -1
    assert not ReputationEvent.objects.filter(post__in=[question, wiki_answer]).exists()
    ada.refresh_from_db()
    voter.refresh_from_db()
    assert (ada.reputation, voter.reputation) == (1, 200)

    voter_client.post(reverse("questions:vote", args=[plain_answer.pk]), {"value": "up"}, **EN)
    ada.refresh_from_db()
    assert ada.reputation == 11


# Closing, protection, migration


@pytest.mark.parametrize(
    ("reason_id", "shown"),
    [
        ("1", "Exact duplicate"),
        ("2", "Off-topic"),
        ("3", "Subjective and argumentative"),
        ("4", "Not a real question"),
        ("7", "Too localized"),
        ("10", "General reference"),
        ("20", "Noise or pointless"),
        ("103", "Needs details or clarity"),
    ],
)
@pytest.mark.django_db
def test_a_question_closed_for_an_old_reason_shows_it_by_its_old_name_and_who_closed_it(
    write_dump, client, reason_id, shown
):
    folder = write_dump(
        Users=[user_row(1, DisplayName="Ada"), user_row(5, DisplayName="Grace Hopper")],
        Posts=[question_row(1, ClosedDate="2011-03-01T00:00:00.000")],
        PostHistory=[
            history_row(1, 1, 2, "g1", "Question"),
            history_row(
                2,
                1,
                10,
                "g2",
                '{"Voters":[{"Id":5,"DisplayName":"Grace"},{"Id":88,"DisplayName":"Gone Person"}]}',
                Comment=reason_id,
                CreationDate="2011-03-01T00:00:00.000",
            ),
        ],
    )

    run_import(folder, "--quiet")

    question = Post.objects.get()
    grace = User.objects.get(display_name="Grace Hopper")
    assert question.closers == [
        {"name": "Grace Hopper", "user": grace.pk},
        {"name": "Gone Person", "user": None},
    ]
    page = thread(client, question)
    assert f"Reason: {shown}" in page
    closed_by = rf'by <a href="[^"]*/users/{grace.pk}/[^"]*">Grace Hopper</a>, Gone Person'
    assert re.search(closed_by, page)


@pytest.mark.django_db
def test_protection_and_migration_from_the_history_show_as_notices(write_dump, client):
    folder = write_dump(
        Posts=[question_row(1), question_row(2)],
        PostHistory=[
            history_row(1, 1, 2, "g1", "One"),
            history_row(2, 1, 19, "g2", "", CreationDate="2020-03-01T00:00:00.000"),
            history_row(
                3,
                1,
                36,
                "g3",
                "",
                Comment="from https://stackoverflow.com/questions/12/how",
            ),
            history_row(4, 2, 2, "g4", "Two"),
            history_row(5, 2, 19, "g5", "", CreationDate="2020-03-01T00:00:00.000"),
            history_row(6, 2, 20, "g6", "", CreationDate="2020-03-02T00:00:00.000"),
            history_row(7, 2, 35, "g7", "", Comment="to https://linguistics.stackexchange.com/q/9"),
        ],
    )

    run_import(folder, "--quiet")

    protected = Post.objects.get(source_url=f"{SITE}/q/1")
    unprotected = Post.objects.get(source_url=f"{SITE}/q/2")
    assert protected.protected_at is not None
    assert unprotected.protected_at is None
    assert protected.migrated_from == "https://stackoverflow.com/questions/12/how"
    assert unprotected.migrated_to == "https://linguistics.stackexchange.com/q/9"
    page = thread(client, protected)
    assert "This question was protected" in page
    assert "Migrated here from" in page and "stackoverflow.com</a>" in page
    page = thread(client, unprotected)
    assert "This question was protected" not in page
    assert "migrated to" in page and "linguistics.stackexchange.com</a>" in page


# Tags, profiles, the summary


@pytest.mark.django_db
def test_a_questions_tags_keep_the_authors_order(write_dump, client):
    folder = write_dump(Posts=[question_row(1, Tags="<syntax><grammar><phonology>")])

    run_import(folder, "--quiet")

    page = thread(client, Post.objects.get())
    shown = re.findall(r'href="/questions/tagged/([^/"]+)/"', page)
    assert shown[:3] == ["syntax", "grammar", "phonology"]


@pytest.mark.django_db
def test_an_imported_profile_links_back_to_stack_exchange(write_dump, client):
    folder = write_dump()

    run_import(folder, "--quiet")

    ada = User.objects.get()
    response = client.get(ada.get_absolute_url(), **EN)
    assert f'href="{SITE}/users/1"' in response.content.decode()


@pytest.mark.django_db
def test_the_summary_counts_history_rows_of_kinds_not_kept(write_dump):
    folder = write_dump(
        Posts=[question_row(1)],
        PostHistory=[
            history_row(1, 1, 2, "g1", "One"),
            history_row(2, 1, 50, "g2", ""),
            history_row(3, 1, 50, "g3", ""),
            history_row(4, 1, 24, "g4", ""),
            history_row(5, 1, 99, "g5", ""),
        ],
    )

    summary = run_import(folder)

    assert "2 PostHistory.xml: bumps by the Community user (not kept here)" in summary
    assert "1 PostHistory.xml: suggested edits applied (not kept here)" in summary
    assert "1 PostHistory.xml: rows of type 99 (not kept here)" in summary


@pytest.mark.django_db
def test_importing_again_adds_nothing_and_keeps_what_the_first_run_set(write_dump):
    folder = write_dump(
        Posts=[question_row(1, Tags="<b-tag><a-tag>", CommunityOwnedDate="2020-02-03T00:00:00.000")]
    )
    run_import(folder, "--quiet")
    first = list(Post.objects.values())

    run_import(folder, "--quiet")

    assert list(Post.objects.values()) == first
    assert list(
        Post.tags.through.objects.order_by("position").values_list("tag__name", flat=True)
    ) == ["b-tag", "a-tag"]


@pytest.mark.django_db
def test_the_summary_counts_the_rows_of_dump_files_no_step_imports(write_dump):
    folder = write_dump(Posts=[question_row(1)])
    (folder / "PostNotices.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<postnotices>\n'
        '  <row Id="1" PostId="1" />\n  <row Id="2" PostId="1" />\n</postnotices>\n',
        encoding="utf-8",
    )

    summary = run_import(folder)

    assert "2 PostNotices.xml: rows of a file Stapel does not import" in summary
