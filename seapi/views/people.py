"""The methods that read users and tags."""

from seapi import selectors
from seapi.params import ids_vector, tag_vector
from seapi.views.lists import answers_page, comments_page, questions_page, tags_page, users_page
from seapi.views.method import method

# Users


@method
def users(request, params):
    return users_page(params, selectors.users(with_body=params.with_body))


@method
def users_by_ids(request, params, ids):
    rows = selectors.users(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return users_page(params, rows)


@method
def user_questions(request, params, ids):
    rows = selectors.questions(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return questions_page(params, rows)


@method
def user_answers(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return answers_page(params, rows)


@method
def user_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(author_id__in=ids_vector(ids))
    return comments_page(params, rows)


# Tags


@method
def tags(request, params):
    return tags_page(params, selectors.tags())


@method
def tags_info(request, params, names):
    return tags_page(params, selectors.tags().filter(name__in=tag_vector(names)))
