"""Every named URL pattern of the project is either a page the axe test scans
(tests/e2e/pages.py's PAGES) or on its EXCLUDED list with the reason: a new page cannot
be added without joining the accessibility test."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from reviews.models import ReviewTask
from reviews.services import task_open
from tests import factories
from tests.e2e.pages import (
    EXCLUDED,
    EXCLUDED_NAMESPACES,
    PAGES,
    POST_ONLY,
    REFUSED,
    ROLES,
)


def _patterns(resolver=None, namespace=""):
    """(name with its namespaces, pattern) of every named URL pattern, however deep."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


NAMED = dict(_patterns())
SCANNED = {page.name for page in PAGES}


def test_every_named_url_pattern_is_scanned_by_axe_or_excluded_with_a_reason():
    unaccounted = sorted(
        name
        for name in NAMED
        if name not in SCANNED
        and name not in EXCLUDED
        and name.split(":")[0] not in EXCLUDED_NAMESPACES
    )

    assert unaccounted == [], (
        "Pages that neither the axe test scans nor tests/e2e/pages.py excludes: add each "
        "to PAGES in the role that sees it (and its data to the axe test's _site), or to "
        "EXCLUDED with the reason it is no page."
    )


def test_the_lists_name_only_url_patterns_that_exist_and_each_once():
    assert sorted((SCANNED | set(EXCLUDED)) - set(NAMED)) == []
    assert sorted(SCANNED & set(EXCLUDED)) == []
    assert {page.role for page in PAGES} <= set(ROLES)
    assert all(reason.strip() for reason in [*EXCLUDED.values(), *EXCLUDED_NAMESPACES.values()])


def _some_path(name):
    """`name` reversed with made-up arguments: an object that need not exist."""
    pattern = NAMED[name].pattern
    assert isinstance(pattern, RoutePattern), name
    kwargs = {
        key: 1 if converter.regex == "[0-9]+" else "x"
        for key, converter in pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, why in EXCLUDED.items() if why == POST_ONLY))
def test_a_pattern_excluded_as_post_only_answers_a_get_with_405(name):
    client = Client()
    client.force_login(factories.moderator())

    assert client.get(_some_path(name)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, why in EXCLUDED.items() if why == REFUSED))
def test_a_panel_page_excluded_as_refused_is_refused_to_moderators_and_managers(name):
    path = _some_path(name)
    if "reviewtask" in name and "object_id" in NAMED[name].pattern.converters:
        # A task that exists: the panel refuses its page, where a missing one redirects.
        question = factories.question()
        task_open(queue=ReviewTask.Queue.FIRST_QUESTIONS, post_id=question.pk)
        path = reverse(name, kwargs={"object_id": ReviewTask.objects.get(post=question).pk})
    moderator, manager = Client(), Client()
    moderator.force_login(factories.moderator())
    manager.force_login(factories.user(is_staff=True))

    assert moderator.get(path).status_code == 403
    assert manager.get(path).status_code == 403
