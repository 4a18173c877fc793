"""Error reporting to Sentry, when SENTRY_DSN is set (forum/settings.py); off otherwise,
and then sentry_sdk is not even imported."""


def sentry_init(*, dsn, environment, release, traces_sample_rate):
    """Reports unhandled errors of the requests and the Celery tasks, and ERROR log records.

    No personal data: no addresses, cookies or user names (send_default_pii=False), and
    no query string, body or local variables either (they hold email addresses, tokens,
    passwords and the requests' addresses); a report still names the view, the path and
    the lines of code that failed."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=_without_request_contents,
    )


def _without_request_contents(event, hint):
    request = event.get("request", {})
    for part in ("query_string", "data", "cookies"):
        request.pop(part, None)
    if "url" in request:
        request["url"] = request["url"].split("?")[0]
    return event
