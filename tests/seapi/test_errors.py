"""Bad input gets Stack Exchange's error object with a clear message, never a 500."""

import pytest

from tests import factories


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("questions/" + ";".join(str(n) for n in range(1, 102)), {}, "ids"),
        ("questions/-1", {}, "ids"),
        ("questions/0", {}, "ids"),
        ("questions/abc", {}, "ids"),
        ("questions/1;;2", {}, "ids"),
        ("answers/1.5/comments", {}, "ids"),
        ("users/99999999999999999999999", {}, "ids"),
        ("tags/not a tag/info", {}, "tags"),
        ("questions", {"page": "x"}, "page"),
        ("questions", {"page": "0"}, "page"),
        ("questions", {"pagesize": "-1"}, "pagesize"),
        ("questions", {"sort": "hot"}, "sort"),
        ("users", {"sort": "votes"}, "sort"),
        ("questions", {"order": "up"}, "order"),
        ("questions", {"sort": "creation", "min": "yesterday"}, "min"),
        ("questions", {"fromdate": "999999999999"}, "fromdate"),
        ("questions", {"tagged": "no tag"}, "tagged"),
        ("search/advanced", {"accepted": "maybe"}, "accepted"),
        ("search/advanced", {"order": "asc"}, "order"),
        ("similar", {}, "title"),
    ],
)
def test_bad_parameters_get_stack_exchanges_error_object(se, path, params, parameter):
    body = se.get(path, status=400, **params)
    assert body["error_id"] == 400
    assert body["error_name"] == "bad_parameter"
    assert body["error_message"].startswith(parameter)


def test_at_most_a_hundred_ids_are_read_at_once(se, question):
    hundred = ";".join([str(question.pk)] * 100)
    assert [item["question_id"] for item in se.get(f"questions/{hundred}")["items"]] == [
        question.pk
    ]
    body = se.get(f"questions/{hundred};{question.pk}", status=400)
    assert body["error_message"] == "ids: at most 100 ids in one request."


@pytest.mark.parametrize(
    "path", ["", "nothing", "questions/1/upvote", "me/inbox", "questions/1/answers/x"]
)
def test_an_unknown_method_is_stack_exchanges_no_method(se, path, db):
    body = se.get(path, status=404)
    assert body == {
        "error_id": 404,
        "error_name": "no_method",
        "error_message": "No method found with this name.",
    }


def test_writes_are_refused_without_a_csrf_failure_page(se, question):
    response = se.client.post(f"/api/2.3/questions/{question.pk}", {"title": "changed"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error_name"] == "no_method"
    question.refresh_from_db()
    assert question.title != "changed"


def test_error_messages_speak_german_to_a_german_client(db):
    from django.test import Client

    client = Client(headers={"accept-language": "de"})
    body = client.get("/api/2.3/questions/abc").json()
    assert body["error_name"] == "bad_parameter"
    assert body["error_message"] == (
        "ids: erwartet werden positive ganze Zahlen, getrennt durch Semikolons."
    )


def test_ids_of_posts_of_the_wrong_kind_find_nothing(se, question, answer):
    assert se.get(f"questions/{answer.pk}")["items"] == []
    assert se.get(f"answers/{question.pk}")["items"] == []
    factories.comment(answer)
    assert se.get(f"questions/{answer.pk}/comments")["items"] == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("questions", {"sort": "votes", "min": "999999999999"}),
        ("users", {"sort": "reputation", "max": "-999999999999"}),
        ("search/advanced", {"answers": "999999999999", "views": "999999999999"}),
        ("search/advanced", {"user": "999999999999"}),
        ("questions", {"page": "999999999999", "pagesize": "100"}),
        ("questions/999999999999999999", {}),
    ],
)
def test_numbers_past_the_columns_find_nothing_rather_than_fail(se, question, path, params):
    assert se.get(path, **params)["items"] == []
