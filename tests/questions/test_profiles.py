"""Members' profiles: the tabs, the counts stored for them (questions/profile_counts.py)
as the services keep them and `recount` checks them, the users list's orders and filter,
and a tag's top users."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from questions import services, voting
from questions.models import UserTagStats
from tests import factories
from tests.clients import client_for, page_queries

pytestmark = pytest.mark.django_db


def tab_url(member, tab=""):
    return f"{member.get_absolute_url()}{tab + '/' if tab else ''}"


def stats(user, tag_name):
    row = UserTagStats.objects.filter(user=user, tag__name=tag_name).first()
    return (row.question_count, row.answer_count, row.answer_score) if row else None


def recount(*options):
    out = StringIO()
    call_command("recount", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def busy_member(db):
    """A member with questions and answers in two tags, and votes cast."""
    member = factories.user(display_name="Busy Bee")
    for number in range(3):
        question = factories.question(
            author=member, title=f"Own question {number}", tags=["grammar"], score=number
        )
        factories.answer(question)
    for number in range(4):
        other = factories.question(title=f"Other question {number}", tags=["phonology", "grammar"])
        factories.answer(other, author=member, score=number + 1)
        factories.vote(other, user=member, value=1 if number else -1)
    return User.objects.get(pk=member.pk)


# The counts, as the services keep them.


def test_asking_answering_and_voting_through_the_services_count_on_the_profile(author, voter):
    question = services.question_create(
        author=author, title="How do cases work?", body="Tell me.", tags=["grammar", "cases"]
    )
    answer = services.answer_create(author=voter, question=question, body="Like this.")
    factories.reputation(author, amount=100)

    voting.post_vote(post=answer, user=author, value=1)

    author.refresh_from_db()
    voter.refresh_from_db()
    assert (author.question_count, author.answer_count) == (1, 0)
    assert (voter.question_count, voter.answer_count) == (0, 1)
    assert (author.votes_up, author.votes_down, author.answer_votes) == (1, 0, 1)
    assert stats(author, "cases") == (1, 0, 0)
    assert stats(voter, "grammar") == (0, 1, 1)


def test_switching_and_withdrawing_a_vote_moves_the_counts_back(author, voter, answer):
    factories.reputation(voter, amount=200)

    voting.post_vote(post=answer, user=voter, value=1)
    voting.post_vote(post=answer, user=voter, value=-1)
    voter.refresh_from_db()
    assert (voter.votes_up, voter.votes_down, voter.answer_votes) == (0, 1, 1)

    voting.post_vote(post=answer, user=voter, value=voting.NO_VOTE)
    voter.refresh_from_db()
    assert (voter.votes_up, voter.votes_down, voter.answer_votes) == (0, 0, 0)


def test_deleting_a_question_takes_its_answers_off_their_authors_profiles(busy_member):
    other = factories.question(title="Doomed", tags=["syntax"])
    factories.answer(other, author=busy_member, score=5)
    busy_member.refresh_from_db()
    assert busy_member.answer_count == 5
    assert stats(busy_member, "syntax") == (0, 1, 5)

    services.post_delete(post=other, user=None)
    busy_member.refresh_from_db()
    assert busy_member.answer_count == 4
    assert stats(busy_member, "syntax") == (0, 0, 0)

    services.post_undelete(post=other, user=None)
    busy_member.refresh_from_db()
    assert busy_member.answer_count == 5
    assert stats(busy_member, "syntax") == (0, 1, 5)


def test_retagging_a_question_moves_its_answers_score_to_the_new_tag(author, member):
    question = factories.question(author=author, tags=["grammar"])
    factories.answer(question, author=member, score=3)

    services.post_edit(post=question, editor=author, body=question.body_markdown, tags=["syntax"])

    assert stats(member, "grammar") == (0, 0, 0)
    assert stats(member, "syntax") == (0, 1, 3)
    assert stats(author, "syntax") == (1, 0, 0)
    author.refresh_from_db()
    assert author.edit_count == 1


# recount


def test_recount_reports_and_repairs_drifted_profile_counts(busy_member):
    User.objects.filter(pk=busy_member.pk).update(question_count=99, votes_down=7)
    UserTagStats.objects.filter(user=busy_member, tag__name="phonology").update(answer_score=0)
    UserTagStats.objects.filter(user=busy_member, tag__name="grammar").delete()
    extra = factories.user()
    UserTagStats.objects.create(user=extra, tag=factories.tag("syntax"), question_count=2)

    dry = recount("--dry-run")
    assert "profile counts: 1 drifted" in dry
    assert "profile tag statistics: 3 drifted" in dry
    assert User.objects.get(pk=busy_member.pk).question_count == 99

    recount()

    busy_member.refresh_from_db()
    assert (busy_member.question_count, busy_member.votes_down) == (3, 1)
    assert stats(busy_member, "phonology") == (0, 4, 10)
    assert stats(busy_member, "grammar") == (3, 4, 10)
    assert stats(extra, "syntax") is None
    assert "No drift." in recount("--dry-run")


# The pages.


def test_activity_tab_shows_the_summary_top_tags_and_top_posts(english_client, busy_member):
    User.objects.filter(pk=busy_member.pk).update(badges_gold=1, badges_bronze=4)

    html = english_client.get(tab_url(busy_member)).content.decode()

    assert f'href="{tab_url(busy_member, "questions")}">3<' in html
    assert f'href="{tab_url(busy_member, "answers")}">4<' in html
    assert f'href="{tab_url(busy_member, "votes")}">4<' in html
    assert "1 gold badge" in html and "4 bronze badges" in html
    # grammar: score 10 over 7 posts, ahead of phonology: 10 over 4.
    assert html.index('rel="tag">grammar<') < html.index('rel="tag">phonology<')
    assert '<td class="text-end">7</td>' in html
    assert "Own question 2" in html and "Other question 3" in html


def test_about_me_is_rendered_through_the_posts_markdown_pipeline(english_client):
    member = factories.user(about_markdown="Hi <script>alert(1)</script> **there**")

    html = english_client.get(tab_url(member)).content.decode()

    assert "<strong>there</strong>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("tab", ["", "questions", "answers", "tags", "votes", "reputation"])
def test_every_tab_costs_the_same_queries_for_few_posts_as_for_many(tab):
    few = factories.user()
    question = factories.question(author=few, tags=["grammar"])
    factories.answer(factories.question(tags=["grammar"]), author=few)
    many = factories.user()
    for number in range(15):
        question = factories.question(author=many, tags=[f"tag{number}"])
        factories.answer(question, author=many)
        factories.vote(question, user=few)
    client = client_for(None)
    client.get(tab_url(few, tab))  # the process's first page reads a little more

    assert page_queries(client, tab_url(few, tab)) == page_queries(client, tab_url(many, tab))


def test_activity_tab_costs_four_queries(english_client, busy_member, django_assert_num_queries):
    # The member, their top tags, top questions and top answers.
    with django_assert_num_queries(4):
        english_client.get(tab_url(busy_member))


def test_questions_tab_sorts_by_votes_or_newest_and_pages_by_the_stored_count(english_client):
    member = factories.user(display_name="Asker")
    now = timezone.now()
    for number in range(35):
        factories.question(
            author=member,
            title=f"Question {number:02d}",
            score=number % 5,
            created_at=now - timedelta(days=35 - number),
        )

    by_votes = english_client.get(tab_url(member, "questions")).content.decode()
    newest = english_client.get(tab_url(member, "questions") + "?sort=newest").content.decode()
    second = english_client.get(
        tab_url(member, "questions") + "?sort=newest&page=2"
    ).content.decode()

    assert "35 questions" in by_votes
    # Scores 4, 3, 2, 1, 0 (34, 33 … 00): the lowest scored and oldest are on page two.
    assert by_votes.index("Question 34") < by_votes.index("Question 33")
    assert "Question 00" not in by_votes
    assert newest.index("Question 34") < newest.index("Question 10")
    assert "Question 00" not in newest and "Question 00" in second
    assert 'aria-current="page">Newest<' in newest


def test_answers_tab_lists_answers_with_their_questions_titles(english_client, busy_member):
    html = english_client.get(tab_url(busy_member, "answers")).content.decode()

    assert "4 answers" in html
    assert html.index("Other question 3") < html.index("Other question 0")


def test_tags_tab_lists_every_tag_with_score_and_posts(english_client, busy_member):
    html = english_client.get(tab_url(busy_member, "tags")).content.decode()

    assert "2 tags" in html
    assert 'rel="tag">grammar<' in html and 'rel="tag">phonology<' in html


def test_votes_tab_shows_counts_but_not_what_was_voted_on(english_client, busy_member):
    html = english_client.get(tab_url(busy_member, "votes")).content.decode()

    assert "4 votes cast" in html
    assert "<dd>3</dd>" in html and "<dd>1</dd>" in html
    assert "Other question" not in html


def test_a_tab_with_a_stale_slug_redirects_permanently(english_client, busy_member):
    response = english_client.get(f"/users/{busy_member.pk}/someone/tags/")

    assert response.status_code == 301
    assert response["Location"] == tab_url(busy_member, "tags")


def test_profile_tabs_read_in_german(client, busy_member, german_site):
    html = client.get(tab_url(busy_member)).content.decode()

    assert ">Aktivität<" in html and ">Abgegebene Stimmen<" not in html
    assert "Top-Tags" in html
    assert "4 abgegebene Stimmen" in client.get(tab_url(busy_member, "votes")).content.decode()


# The users list.


@pytest.fixture
def members(db):
    now = timezone.now()
    veteran = factories.user(
        display_name="Veteran", reputation=5000, date_joined=now - timedelta(days=400)
    )
    voter = factories.user(display_name="Vera Voter", date_joined=now - timedelta(days=3))
    editor = factories.user(display_name="Eddie Editor", date_joined=now - timedelta(days=2))
    newcomer = factories.user(display_name="Newcomer", date_joined=now)
    User.objects.filter(pk=voter.pk).update(votes_up=30, votes_down=5, question_votes=35)
    User.objects.filter(pk=editor.pk).update(edit_count=12)
    return veteran, voter, editor, newcomer


def names_in_order(html, names):
    return sorted(names, key=html.index)


@pytest.mark.drift
@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("reputation", "Veteran"),
        ("new", "Newcomer"),
        ("voters", "Vera Voter"),
        ("editors", "Eddie Editor"),
    ],
)
def test_users_list_sorts_by_reputation_new_users_voters_and_editors(
    english_client, members, sort, first
):
    html = english_client.get(f"/users/?sort={sort}").content.decode()

    assert names_in_order(html, ["Veteran", "Vera Voter", "Eddie Editor", "Newcomer"])[0] == first


@pytest.mark.drift
def test_users_list_filters_by_name_and_keeps_the_order(english_client, members):
    html = english_client.get("/users/?filter=ed&sort=editors").content.decode()

    assert "Eddie Editor" in html and "Veteran" not in html and "Newcomer" not in html
    assert "1 member whose name contains “ed”" in html
    assert (
        "No member’s name contains “zz”" in english_client.get("/users/?filter=zz").content.decode()
    )


@pytest.mark.drift
@pytest.mark.parametrize("query", ["", "?sort=voters", "?sort=new&filter=e", "?sort=bogus"])
def test_users_list_costs_two_queries(english_client, members, query, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert english_client.get(f"/users/{query}").status_code == 200


@pytest.mark.drift
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_users_list_name_filter_reads_the_trigram_indexes(english_client, members):
    with CaptureQueriesContext(connection) as queries:
        english_client.get("/users/?filter=editor")
    listing = next(q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"])
    with connection.cursor() as cursor:
        # The table is tiny here: a sequential scan would win, so it is ruled out to see
        # whether an index can answer the filter at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {listing}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "user_username_trgm_idx" in plan and "user_display_name_trgm_idx" in plan
    assert "Seq Scan on accounts_user" not in plan


# A tag's top users.


def test_tag_top_users_rank_all_time_and_the_last_30_days(english_client):
    grammar = factories.tag("grammar")
    old_hand, newcomer = (
        factories.user(display_name="Old Hand"),
        factories.user(display_name="Newbie"),
    )
    long_ago = timezone.now() - timedelta(days=90)
    factories.answer(
        factories.question(tags=[grammar]), author=old_hand, score=9, created_at=long_ago
    )
    factories.answer(factories.question(tags=[grammar]), author=newcomer, score=2)
    factories.answer(factories.question(tags=["other"]), author=newcomer, score=50)

    html = english_client.get("/tags/grammar/topusers/").content.decode()

    recent, all_time = html.split('id="all-time-title"')
    assert "Newbie" in recent and "Old Hand" not in recent
    assert all_time.index("Old Hand") < all_time.index("Newbie")
    assert "score 9" in all_time and "score 50" not in html


def test_tag_page_links_its_top_users(english_client):
    factories.question(tags=["grammar"])

    html = english_client.get(factories.tag("grammar").get_absolute_url()).content.decode()

    assert 'href="/tags/grammar/topusers/"' in html


def test_tag_top_users_costs_the_same_queries_for_few_answers_as_for_many():
    few, many = factories.tag("few"), factories.tag("many")
    factories.answer(factories.question(tags=[few]))
    for _ in range(12):
        factories.answer(factories.question(tags=[many]), score=1)
    client = client_for(None)
    client.get("/tags/few/topusers/")  # the process's first page reads a little more

    # The tag, the all-time and the recent ranks, the recent rank's members (and the
    # session's lookup).
    assert page_queries(client, "/tags/few/topusers/") == 5
    assert page_queries(client, "/tags/many/topusers/") == 5


def test_top_users_of_an_unknown_tag_answer_404(english_client):
    assert english_client.get("/tags/nothing-here/topusers/").status_code == 404
