"""Requests sent at the same moment, each on a database connection of its own, for the
tests that prove writes stay exact under concurrency (PostgreSQL)."""

import threading

from django.db import connection


def post_at_once(jobs, **headers):
    """Posts, for each job (client, url, [data, …]), its data in order from a thread of
    its own; the threads start together. Returns every response's status code."""
    start = threading.Barrier(len(jobs))
    statuses = []

    def post(client, url, payloads):
        try:
            start.wait()
            for data in payloads:
                statuses.append(client.post(url, data, **headers).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
