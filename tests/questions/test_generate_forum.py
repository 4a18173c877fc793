from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from questions.models import Comment, Post, PostRevision, Tag, Vote
from tests import factories
from tests.clients import client_for

QUESTIONS = 60


def generate(**options):
    out = StringIO()
    call_command("generate_forum", questions=QUESTIONS, seed=7, stdout=out, **options)
    return out.getvalue()


def recount_dry_run():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_forum_leaves_every_stored_counter_matching_its_rows():
    generate()

    assert "No drift." in recount_dry_run()


@pytest.mark.django_db
def test_generate_forum_makes_a_forum_in_stack_exchange_like_proportions():
    output = generate()

    questions = Post.objects.questions()
    answers = Post.objects.answers()
    assert questions.count() == QUESTIONS
    assert QUESTIONS * 0.8 <= answers.count() <= QUESTIONS * 4
    assert questions.filter(answer_count=0).exists()
    assert Comment.objects.count() >= QUESTIONS
    assert Vote.objects.count() >= QUESTIONS
    assert Post.objects.filter(score__lt=0).exists()
    assert questions.filter(accepted_answer__isnull=False).exists()
    tags_per_question = [question.tags.count() for question in questions.prefetch_related("tags")]
    assert min(tags_per_question) >= 1 and max(tags_per_question) <= 5
    assert Tag.objects.filter(question_count__gt=0).count() > 1
    assert PostRevision.objects.count() == Post.objects.count()
    assert f"Generated {QUESTIONS} questions" in output


@pytest.mark.django_db
def test_generate_forum_keeps_thread_activity_at_the_latest_answer():
    generate()

    for question in Post.objects.questions().filter(answer_count__gt=0):
        latest = max(answer.created_at for answer in question.answers.all())
        assert question.last_activity_at == max(latest, question.created_at)
        assert all(answer.created_at >= question.created_at for answer in question.answers.all())


@pytest.mark.django_db
def test_generate_forum_adds_to_a_database_that_already_has_users_tags_and_an_earlier_run():
    factories.user(username="annaadler1")
    factories.tag("python")
    generate()
    users_after_first_run = User.objects.count()

    generate()

    assert Post.objects.questions().count() == 2 * QUESTIONS
    assert User.objects.count() > users_after_first_run
    assert "No drift." in recount_dry_run()


@pytest.mark.django_db
def test_generated_list_thread_tag_user_and_search_pages_render():
    generate()
    client = client_for(None)
    question = Post.objects.questions().order_by("-answer_count").first()
    tag = Tag.objects.order_by("-question_count").first()
    author = User.objects.order_by("-reputation").first()

    pages = (
        "/",
        "/?page=2",
        question.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
    )
    for url in pages:
        assert client.get(url).status_code == 200, url
    search = client.get("/search/", {"q": tag.name})
    assert search.status_code == 200
    assert search.context["results"].page.paginator.count > 0


def planner_statistics_of_posts():
    """How many statistics rows the database's planner holds about the post table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'questions_post'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone()[0] == 0:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'questions_post'")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_generate_forum_leaves_the_planner_statistics_of_what_it_wrote():
    output = generate()

    assert "Planner statistics updated (ANALYZE)" in output  # a test runs inside a transaction
    assert planner_statistics_of_posts() > 0
