import pytest


@pytest.mark.django_db
def test_the_benchmark_ceiling_answers_through_the_middleware_without_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/ceiling/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"]
