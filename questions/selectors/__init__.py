"""The queries that build the question pages, one module per kind of page: the lists
(lists.py), the thread (thread.py), related and similar questions (related.py), the feeds
and the sitemap (feeds.py), a member's posts, reputation history and saved questions
(profile.py), members' watched and ignored tags (tag_preferences.py), and a tag's info page
(tag_wiki.py). Each page costs a fixed number of queries, whatever the number of
questions, answers and comments on it."""

from questions.selectors.feeds import (
    feed_answers,
    feed_questions,
    sitemap_questions,
    sitemap_questions_last_activity,
    sitemap_tags,
    visible_question,
)
from questions.selectors.lists import (
    DEFAULT_QUESTION_TAB,
    DEFAULT_TAG_SORT,
    QUESTION_TABS,
    TAG_SORTS,
    list_totals_counted,
    question_page,
    tag_list,
    tags_for_page,
)
from questions.selectors.profile import (
    DEFAULT_POST_SORT,
    POST_SORTS,
    TOP_USERS_DAYS,
    reputation_days,
    reputation_events,
    saved_page,
    tag_top_answerers,
    tag_top_answerers_since,
    user_answers,
    user_posts_page,
    user_questions,
    user_tags_page,
    user_top_tags,
)
from questions.selectors.related import related_questions, similar_questions
from questions.selectors.tag_preferences import tag_preference_names, viewer_tags
from questions.selectors.tag_wiki import tag_history
from questions.selectors.thread import (
    ANSWER_TABS,
    DEFAULT_ANSWER_TAB,
    answer_for_permalink,
    comment_for_viewer,
    post_for_viewer,
    question_for_permalink,
    question_for_thread,
    revision_history,
    thread_answers,
)

__all__ = [
    "DEFAULT_POST_SORT",
    "POST_SORTS",
    "TOP_USERS_DAYS",
    "tag_top_answerers",
    "tag_top_answerers_since",
    "ANSWER_TABS",
    "DEFAULT_ANSWER_TAB",
    "DEFAULT_QUESTION_TAB",
    "DEFAULT_TAG_SORT",
    "QUESTION_TABS",
    "TAG_SORTS",
    "answer_for_permalink",
    "comment_for_viewer",
    "feed_answers",
    "feed_questions",
    "list_totals_counted",
    "post_for_viewer",
    "question_for_permalink",
    "question_for_thread",
    "question_page",
    "related_questions",
    "reputation_days",
    "reputation_events",
    "revision_history",
    "saved_page",
    "similar_questions",
    "tag_history",
    "sitemap_questions",
    "sitemap_questions_last_activity",
    "sitemap_tags",
    "tag_list",
    "tag_preference_names",
    "tags_for_page",
    "thread_answers",
    "user_answers",
    "user_posts_page",
    "user_questions",
    "user_tags_page",
    "user_top_tags",
    "viewer_tags",
    "visible_question",
]
