from django import template

from questions.selectors.hot import hot_questions

register = template.Library()


@register.inclusion_tag("questions/_hot_questions.html")
def hot_in_tags(question):
    """The thread sidebar's box of hot questions in `question`'s tags (none: no box)."""
    return {"hot_questions": hot_questions(question=question)}
