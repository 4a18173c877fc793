from django.db import connection
from django.test.utils import CaptureQueriesContext


def changelist_queries(client, url, rows):
    """How many queries the admin list at `url` costs, once the session and content types
    are warm; it must show `rows` rows."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == rows
    return len(context.captured_queries)
