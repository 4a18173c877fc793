"""What the feeds and the sitemap read."""

from django.db.models import Max
from django.http import Http404

from questions.models import Answer, Question, Tag, attach_tags


def feed_questions(*, tag=None, limit):
    """The newest listed questions (with `tag`, if given), with their tags, for a feed."""
    questions = Question.objects.listed()
    if tag is not None:
        questions = questions.filter(tags=tag)
    questions = list(questions.defer("body_markdown").order_by("-created_at", "-id")[:limit])
    attach_tags(questions)
    return questions


def visible_question(*, pk):
    """The question `pk` unless it is deleted, or Http404: what feeds may show."""
    question = Question.objects.visible().defer("body_markdown").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def feed_answers(*, question, limit):
    """The question's newest visible answers, for its feed."""
    answers = list(
        Answer.objects.visible()
        .filter(parent=question)
        .defer("body_markdown")
        .order_by("-created_at", "-id")[:limit]
    )
    for answer in answers:
        # Entries link into the thread; this saves a query per answer.
        answer.parent = question
    return answers


def sitemap_questions():
    """What the sitemap needs of the listed questions, oldest first, for stable pages."""
    return (
        Question.objects.listed().only("id", "post_type", "slug", "last_activity_at").order_by("id")
    )


def sitemap_questions_last_activity():
    return Question.objects.listed().aggregate(latest=Max("last_activity_at"))["latest"]


def sitemap_tags():
    """Tags that have questions: the others' pages are empty."""
    return Tag.objects.filter(question_count__gt=0).only("id", "name").order_by("name")
