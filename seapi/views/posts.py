"""The methods that read questions, answers, comments and posts."""

from django.utils import timezone

from questions.models import Post
from seapi import selectors, shapes
from seapi.params import ids_vector
from seapi.views.lists import POST_SORTS, answers_page, comments_page, listing, questions_page
from seapi.views.method import method

# Questions


@method
def questions(request, params):
    return questions_page(params, selectors.questions(with_body=params.with_body))


@method
def questions_unanswered(request, params):
    return questions_page(
        params, selectors.unanswered(selectors.questions(with_body=params.with_body))
    )


@method
def questions_no_answers(request, params):
    return questions_page(params, selectors.questions(with_body=params.with_body).unanswered())


@method
def questions_featured(request, params):
    rows = selectors.questions(with_body=params.with_body).filter(
        bounty_amount__gt=0, bounty_ends_at__gt=timezone.now()
    )
    return questions_page(params, rows)


@method
def questions_by_ids(request, params, ids):
    rows = selectors.questions(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return questions_page(params, rows)


@method
def question_answers(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(parent_id__in=ids_vector(ids))
    return answers_page(params, rows)


@method
def question_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(
        post_id__in=ids_vector(ids), post__post_type=Post.PostType.QUESTION
    )
    return comments_page(params, rows)


# Answers


@method
def answers(request, params):
    return answers_page(params, selectors.answers(with_body=params.with_body))


@method
def answers_by_ids(request, params, ids):
    rows = selectors.answers(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return answers_page(params, rows)


@method
def answer_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(
        post_id__in=ids_vector(ids), post__post_type=Post.PostType.ANSWER
    )
    return comments_page(params, rows)


@method
def answer_questions(request, params, ids):
    parents = selectors.listed_answers().filter(pk__in=ids_vector(ids)).values("parent_id")
    rows = selectors.questions(with_body=params.with_body).filter(pk__in=parents)
    return questions_page(params, rows)


# Comments and posts


@method
def comments(request, params):
    return comments_page(params, selectors.comments(with_body=params.with_body))


@method
def comments_by_ids(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return comments_page(params, rows)


@method
def posts(request, params):
    return listing(
        params, selectors.posts(with_body=params.with_body), shapes.post, POST_SORTS, "activity"
    )


@method
def posts_by_ids(request, params, ids):
    rows = selectors.posts(with_body=params.with_body).filter(pk__in=ids_vector(ids))
    return listing(params, rows, shapes.post, POST_SORTS, "activity")


@method
def post_comments(request, params, ids):
    rows = selectors.comments(with_body=params.with_body).filter(post_id__in=ids_vector(ids))
    return comments_page(params, rows)
