"""A real Stack Exchange client, StackAPI from PyPI, reads a Stapel site over HTTP."""

import pytest
from stackapi import StackAPI, StackAPIError

from tests import factories


@pytest.fixture
def stackapi(live_server, settings):
    settings.SEAPI_SITE_PARAMETER = "stapel"
    return StackAPI("stapel", base_url=f"{live_server.url}/api", max_pages=2, page_size=2)


def test_stackapi_lists_questions_reads_a_thread_and_looks_up_users(stackapi, transactional_db):
    author = factories.user(display_name="Ada", reputation=120)
    asked = [factories.question(author=author, tags=["grammar"]) for _ in range(3)]
    question = asked[0]
    answers = [factories.answer(question), factories.answer(question, accepted=True)]
    deleted = factories.question(author=author, deleted_at=question.created_at)

    listed = stackapi.fetch("questions", sort="creation", order="asc")
    # Two pages of two: StackAPI followed has_more to the second page and stopped there.
    assert [item["question_id"] for item in listed["items"]] == [each.pk for each in asked]
    assert deleted.pk not in [item["question_id"] for item in listed["items"]]
    assert listed["quota_max"] == 300

    thread = stackapi.fetch("questions/{ids}", ids=[question.pk], filter="withbody")
    assert thread["items"][0]["title"] == question.title
    assert thread["items"][0]["body"] == question.body_html
    assert thread["items"][0]["tags"] == ["grammar"]
    found = stackapi.fetch("questions/{ids}/answers", ids=[question.pk])
    assert sorted(item["answer_id"] for item in found["items"]) == [each.pk for each in answers]
    accepted = [
        item["is_accepted"] for item in found["items"] if item["answer_id"] == answers[1].pk
    ]
    assert accepted == [True]

    people = stackapi.fetch("users/{ids}", ids=[author.pk])
    assert people["items"][0]["display_name"] == "Ada"
    assert people["items"][0]["reputation"] == 120


def test_stackapi_refuses_a_site_this_server_does_not_list(live_server, transactional_db):
    with pytest.raises(ValueError, match="Invalid Site Name"):
        StackAPI("stackoverflow", base_url=f"{live_server.url}/api")


def test_stackapi_raises_stack_exchanges_error_for_bad_ids(stackapi, transactional_db):
    with pytest.raises(StackAPIError) as raised:
        stackapi.fetch("questions/{ids}", ids=["-1"])
    assert raised.value.code == "bad_parameter"
    assert raised.value.error == 400
