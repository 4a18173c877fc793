"""The read methods through the test client: Stack Exchange's fields, orders and filters."""

from datetime import UTC, datetime, timedelta

from django.conf import settings

from questions.models import Post
from tests import factories
from tests.conftest import ASKED

EPOCH_ASKED = int(ASKED.timestamp())


def test_sites_lists_this_site_by_the_parameter_the_settings_name(se, settings):
    settings.SEAPI_SITE_PARAMETER = "lingua"
    settings.SEAPI_SITE_NAME = "Lingua"
    body = se.get("sites/", pagesize=1000, filter="!*L1*AY-85YllAr2)")
    assert body["has_more"] is False
    assert body["pagesize"] == 100  # clamped
    (site,) = body["items"]
    assert site["api_site_parameter"] == "lingua"
    assert site["name"] == "Lingua"
    assert site["site_url"] == settings.FORUM_SITE_URL


def test_a_question_is_written_with_stack_exchanges_field_names_and_types(se, thread_with_answers):
    question = thread_with_answers.question
    accepted = thread_with_answers.answers["Karlson"]
    body = se.get("questions")
    assert set(body) == {"items", "has_more", "quota_max", "quota_remaining", "page", "pagesize"}
    (item,) = body["items"]
    assert item == {
        "tags": ["community", "moderation"],
        "owner": {
            "account_id": question.author_id,
            "reputation": 2500,
            "user_id": question.author_id,
            "user_type": "registered",
            "display_name": "Aarthi",
            "link": f"{settings.FORUM_SITE_URL}/users/{question.author_id}/aarthi/",
        },
        "is_answered": True,
        "view_count": 0,
        "accepted_answer_id": accepted.pk,
        "answer_count": 4,
        "score": 0,
        "last_activity_date": EPOCH_ASKED,
        "creation_date": EPOCH_ASKED,
        "question_id": question.pk,
        "link": f"{settings.FORUM_SITE_URL}{question.get_absolute_url()}",
        "title": "Is it unprofessional to maintain personal relationships with users?",
    }


def test_bodies_come_only_with_the_withbody_filter(se, question, answer):
    factories.comment(question, body="A *comment*.")
    for path in ["questions", "answers", "comments", f"posts/{question.pk}"]:
        assert all("body" not in item for item in se.get(path)["items"])
        assert all("body" in item for item in se.get(path, filter="withbody")["items"])
    item = se.get("comments", filter="withbody")["items"][0]
    assert item["body"] == "A <em>comment</em>."
    assert se.get(f"questions/{question.pk}", filter="withbody")["items"][0]["body"] == (
        question.body_html
    )


def test_titles_and_names_are_html_escaped_as_stack_exchange_writes_them(se, db):
    factories.question(
        title='Is <b> & "bold" the same?', author=factories.user(display_name="O'Neil <3")
    )
    (item,) = se.get("questions")["items"]
    assert item["title"] == "Is &lt;b&gt; &amp; &quot;bold&quot; the same?"
    assert item["owner"]["display_name"] == "O&#x27;Neil &lt;3"


def test_a_post_whose_account_is_gone_has_an_owner_that_does_not_exist(se, db):
    factories.question(author=None, author_name="Imported Ida")
    (item,) = se.get("questions")["items"]
    assert item["owner"] == {"user_type": "does_not_exist", "display_name": "Imported Ida"}


def test_a_closed_question_says_when_and_why(se, db):
    closed_at = ASKED + timedelta(days=1)
    factories.question(
        closed_at=closed_at, close_reason=Post.CloseReason.NEEDS_FOCUS, licence="CC BY-SA 4.0"
    )
    (item,) = se.get("questions")["items"]
    assert item["closed_date"] == int(closed_at.timestamp())
    assert item["closed_reason"] == "Needs more focus"
    assert item["content_license"] == "CC BY-SA 4.0"


def _questions_at(*days, **kwargs):
    return [
        factories.question(created_at=ASKED + timedelta(days=day), score=day, **kwargs)
        for day in days
    ]


def _ids(body, key="question_id"):
    return [item[key] for item in body["items"]]


def test_questions_sort_by_activity_creation_or_votes_either_way(se, db):
    first, second, third = _questions_at(1, 2, 3)
    factories.answer(first, created_at=ASKED)
    first.refresh_from_db()
    assert _ids(se.get("questions")) == [third.pk, second.pk, first.pk]
    assert _ids(se.get("questions", sort="creation", order="asc")) == [
        first.pk,
        second.pk,
        third.pk,
    ]
    assert _ids(se.get("questions", sort="votes")) == [third.pk, second.pk, first.pk]


def test_min_and_max_bound_the_sort_and_fromdate_todate_the_creation(se, db):
    first, second, third = _questions_at(1, 2, 3)
    assert _ids(se.get("questions", sort="votes", min=2)) == [third.pk, second.pk]
    assert _ids(se.get("questions", sort="votes", max=2)) == [second.pk, first.pk]
    day2 = int((ASKED + timedelta(days=2)).timestamp())
    assert _ids(se.get("questions", sort="creation", min=day2)) == [third.pk, second.pk]
    assert _ids(se.get("questions", fromdate=day2, todate=day2)) == [second.pk]


def test_pages_say_whether_more_follow(se, db):
    questions = _questions_at(1, 2, 3, 4, 5)
    newest_first = [each.pk for each in reversed(questions)]
    page1 = se.get("questions", sort="creation", pagesize=2)
    page3 = se.get("questions", sort="creation", pagesize=2, page=3)
    assert (_ids(page1), page1["has_more"]) == (newest_first[:2], True)
    assert (_ids(page3), page3["has_more"]) == (newest_first[4:], False)
    assert se.get("questions", page=9)["items"] == []
    assert se.get("questions", pagesize=5000)["pagesize"] == 100


def test_tagged_keeps_the_questions_with_every_tag(se, db):
    both = factories.question(tags=["verbs", "grammar"])
    factories.question(tags=["verbs"])
    assert _ids(se.get("questions", tagged="verbs;grammar")) == [both.pk]
    assert len(se.get("questions", tagged="verbs")["items"]) == 2


def test_the_question_lists_for_unanswered_no_answers_and_featured(se, db):
    bare = factories.question()
    weak = factories.question()
    factories.answer(weak, score=0)
    answered = factories.question()
    factories.answer(answered, score=1)
    featured = factories.question(
        bounty_amount=50, bounty_ends_at=datetime.now(UTC) + timedelta(days=3)
    )
    assert set(_ids(se.get("questions/unanswered"))) == {bare.pk, weak.pk, featured.pk}
    assert set(_ids(se.get("questions/no-answers"))) == {bare.pk, featured.pk}
    assert _ids(se.get("questions/featured")) == [featured.pk]
    assert answered.pk in _ids(se.get("questions"))


def test_questions_by_ids_with_their_answers_and_comments(se, thread_with_answers):
    question = thread_with_answers.question
    other = factories.question()
    on_question = factories.comment(question)
    on_answer = thread_with_answers.answers["ChrisF"].comments.get()
    assert set(_ids(se.get(f"questions/{question.pk};{other.pk}"))) == {question.pk, other.pk}
    answers = se.get(f"questions/{question.pk}/answers", sort="votes")
    assert _ids(answers, "answer_id") == [
        thread_with_answers.answers[name].pk
        for name in ["ChrisF", "Rarity", "Jasconius", "Karlson"]
    ]
    assert [item["is_accepted"] for item in answers["items"]] == [False, False, False, True]
    assert _ids(se.get(f"questions/{question.pk}/comments"), "comment_id") == [on_question.pk]
    chris = thread_with_answers.answers["ChrisF"]
    assert _ids(se.get(f"answers/{chris.pk}/comments"), "comment_id") == [on_answer.pk]
    assert _ids(se.get(f"answers/{chris.pk}/questions")) == [question.pk]
    assert _ids(se.get(f"answers/{chris.pk}"), "answer_id") == [chris.pk]
    assert _ids(se.get(f"comments/{on_answer.pk}"), "comment_id") == [on_answer.pk]
    posts = se.get(f"posts/{question.pk};{chris.pk}")["items"]
    assert {(item["post_id"], item["post_type"]) for item in posts} == {
        (question.pk, "question"),
        (chris.pk, "answer"),
    }


def test_comments_sort_by_creation_or_votes(se, question):
    older = factories.comment(question, created_at=ASKED)
    newer = factories.comment(question, created_at=ASKED + timedelta(hours=1))
    factories.comment_vote(older)
    assert _ids(se.get("comments"), "comment_id") == [newer.pk, older.pk]
    assert _ids(se.get("comments", sort="votes"), "comment_id") == [older.pk, newer.pk]
    item = se.get(f"comments/{older.pk}")["items"][0]
    assert item["score"] == 1
    assert item["edited"] is False
    assert item["post_id"] == question.pk


def test_users_by_reputation_name_or_creation_and_by_ids(se, db):
    ada = factories.user(
        display_name="Ada", reputation=50, location="Zürich", website="https://ada.example"
    )
    bob = factories.user(display_name="", username="bob", reputation=500)
    assert _ids(se.get("users"), "user_id")[:2] == [bob.pk, ada.pk]
    assert _ids(se.get("users", sort="name", order="asc"), "user_id") == [ada.pk, bob.pk]
    assert _ids(se.get("users", inname="ad"), "user_id") == [ada.pk]
    (item,) = se.get(f"users/{ada.pk}")["items"]
    assert item["display_name"] == "Ada"
    assert item["reputation"] == 50
    assert item["location"] == "Zürich"
    assert item["website_url"] == "https://ada.example"
    assert item["badge_counts"] == {"bronze": 0, "silver": 0, "gold": 0}
    assert item["creation_date"] == int(ada.date_joined.timestamp())
    assert item["user_type"] == "registered"
    assert "email" not in item


def test_a_users_questions_and_answers(se, author, question):
    answer = factories.answer(factories.question(), author=author)
    factories.question()
    assert _ids(se.get(f"users/{author.pk}/questions")) == [question.pk]
    assert _ids(se.get(f"users/{author.pk}/answers"), "answer_id") == [answer.pk]


def test_tags_by_popularity_or_name_and_their_info(se, db):
    factories.question(tags=["verbs", "nouns"])
    factories.question(tags=["verbs"])
    tags = se.get("tags")["items"]
    assert [(tag["name"], tag["count"]) for tag in tags] == [("verbs", 2), ("nouns", 1)]
    assert [tag["name"] for tag in se.get("tags", sort="name", order="asc")["items"]] == [
        "nouns",
        "verbs",
    ]
    assert [tag["name"] for tag in se.get("tags/nouns;missing/info")["items"]] == ["nouns"]
    assert [tag["name"] for tag in se.get("tags", inname="erb")["items"]] == ["verbs"]


def test_search_advanced_maps_stack_exchanges_parameters_to_the_sites_search(se, db):
    accepted = factories.question(title="Irregular verbs in Esperanto", tags=["verbs"])
    factories.answer(accepted, accepted=True)
    plain = factories.question(title="Regular verbs in Ido", tags=["verbs", "ido"])
    closed = factories.question(title="Nouns, closed", closed_at=ASKED, close_reason="off-topic")
    assert set(_ids(se.get("search/advanced", q="verbs"))) == {accepted.pk, plain.pk}
    assert _ids(se.get("search/advanced", title="irregular")) == [accepted.pk]
    assert _ids(se.get("search/advanced", tagged="ido")) == [plain.pk]
    assert _ids(se.get("search/advanced", tagged="verbs", nottagged="ido")) == [accepted.pk]
    assert _ids(se.get("search/advanced", accepted="true")) == [accepted.pk]
    assert _ids(se.get("search/advanced", answers=1)) == [accepted.pk]
    assert _ids(se.get("search/advanced", closed="true")) == [closed.pk]
    assert _ids(se.get("search/advanced", body="Esperanto")) == [accepted.pk]
    page = se.get("search/advanced", sort="creation", pagesize=2)
    assert (_ids(page), page["has_more"]) == ([closed.pk, plain.pk], True)
    assert _ids(se.get("search/advanced", sort="creation", pagesize=2, page=2)) == [accepted.pk]
    assert se.get("search/advanced", pagesize=2, page=3)["items"] == []


def test_search_needs_tagged_or_intitle(se, db):
    question = factories.question(title="Irregular verbs", tags=["verbs"])
    assert _ids(se.get("search", intitle="irregular")) == [question.pk]
    assert _ids(se.get("search", tagged="verbs")) == [question.pk]
    error = se.get("search", status=400)
    assert error["error_name"] == "bad_parameter"


def test_similar_finds_questions_by_their_titles(se, db):
    question = factories.question(title="Irregular verbs in Esperanto")
    factories.question(title="Pronouns in Ido")
    assert _ids(se.get("similar", title="Esperanto irregular verbs")) == [question.pk]


def test_info_gives_the_sites_totals(se, thread_with_answers):
    factories.question()
    (item,) = se.get("info")["items"]
    assert item["total_questions"] == 2
    assert item["total_unanswered"] == 1
    assert item["total_accepted"] == 1
    assert item["total_answers"] == 4
    assert item["total_comments"] == 1
    assert item["api_revision"] == "2.3"
    assert item["site"]["api_site_parameter"] == "stapel"


def test_site_key_and_access_token_are_accepted(se, question):
    body = se.get("questions", site="stackoverflow", key="abc", access_token="xyz")
    assert _ids(body) == [question.pk]


def test_answers_are_gzipped_for_clients_that_accept_it(se, thread_with_answers):
    response = se.client.get("/api/2.3/answers", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_the_total_filter_gives_how_many_items_a_method_has(se, thread_with_answers):
    factories.question(tags=["community"])
    assert se.get("questions", filter="total") == {"total": 2}
    assert se.get("answers", filter="total", pagesize=1) == {"total": 4}
    assert se.get("questions", filter="total", tagged="moderation") == {"total": 1}
    assert se.get("search/advanced", filter="total", tagged="community") == {"total": 2}
    assert se.get("sites", filter="total") == {"total": 1}
