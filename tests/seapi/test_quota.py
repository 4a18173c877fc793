"""Stack Exchange's quota: requests a day per address, shared by every method."""

from django.test import Client


def test_quota_remaining_counts_down_with_each_request(se, settings, db):
    settings.SEAPI_QUOTA_PER_DAY = 10
    first = se.get("questions")
    second = se.get("tags")
    assert (first["quota_max"], first["quota_remaining"]) == (10, 9)
    assert (second["quota_max"], second["quota_remaining"]) == (10, 8)


def test_a_used_up_quota_is_a_throttle_violation_for_that_address_only(se, settings, db):
    settings.SEAPI_QUOTA_PER_DAY = 2
    se.get("questions")
    assert se.get("questions")["quota_remaining"] == 0
    response = se.client.get("/api/2.3/questions")
    assert response.status_code == 429
    body = response.json()
    assert body["error_id"] == 502
    assert body["error_name"] == "throttle_violation"
    assert "2 a day" in body["error_message"]
    # Errors count too: a client cannot probe past its quota with bad requests.
    assert se.client.get("/api/2.3/questions/x").status_code == 429

    elsewhere = Client(REMOTE_ADDR="192.0.2.7").get("/api/2.3/questions")
    assert elsewhere.status_code == 200
    assert elsewhere.json()["quota_remaining"] == 1


def test_searches_keep_to_the_sites_limit_per_minute(se, settings, db):
    settings.FORUM_SEARCH_RATE_PER_MINUTE = 2
    assert "backoff" not in se.get("search/advanced", q="verbs")
    # The last search the minute allows tells the client to wait, as Stack Exchange does.
    assert se.get("search", intitle="verbs")["backoff"] == 60
    body = se.get("search/advanced", q="verbs", status=429)
    assert body["error_name"] == "throttle_violation"
    assert body["error_message"] == "Too many searches from this address: at most 2 a minute."
    assert se.get("questions")["items"] == []
