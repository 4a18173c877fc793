"""The badges: one table of Stack Exchange's badges, each with its class, its name and
description in both languages, its rule (`badges/rules.py`), whether it is awarded once
or many times, and what brings it up for a member:

- `on`: the parts members play in events (`badges/subscribers.py`), which re-evaluate
  the badge for them at once ("voter": who voted; "author": whose post was voted on or
  accepted; …);
- `periodic`: the sweep (`badges_sweep`, and beat every hour) looks at everyone, for what
  time or uncounted things (views, saves, a profile's text) decide.

Tag badges are the table's last rows: per tag, by the score and number of answers in it.
The thresholds are Stack Exchange's."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from badges import rules
from badges.models import Badge
from questions.models import Post

GOLD, SILVER, BRONZE = Badge.Class.GOLD, Badge.Class.SILVER, Badge.Class.BRONZE
QUESTION, ANSWER = Post.PostType.QUESTION, Post.PostType.ANSWER


@dataclass(frozen=True)
class BadgeDefinition:
    key: str
    name: str
    badge_class: int
    description: str
    rule: Callable
    once: bool = True
    on: frozenset = frozenset()
    periodic: bool = False


def _badge(key, name, badge_class, description, rule, *, once=True, on=(), periodic=False):
    return BadgeDefinition(key, name, badge_class, description, rule, once, frozenset(on), periodic)


TABLE = (
    # Questions
    _badge(
        "student",
        _("Student"),
        BRONZE,
        _("Asked a first question with a score of 1 or more."),
        rules.post_score(QUESTION, 1, once=True),
        on=["author"],
    ),
    _badge(
        "scholar",
        _("Scholar"),
        BRONZE,
        _("Asked a question and accepted an answer."),
        rules.scholar,
        on=["accepter"],
    ),
    _badge(
        "nice_question",
        _("Nice Question"),
        BRONZE,
        _("Question score of 10 or more."),
        rules.post_score(QUESTION, 10),
        once=False,
        on=["author"],
    ),
    _badge(
        "good_question",
        _("Good Question"),
        SILVER,
        _("Question score of 25 or more."),
        rules.post_score(QUESTION, 25),
        once=False,
        on=["author"],
    ),
    _badge(
        "great_question",
        _("Great Question"),
        GOLD,
        _("Question score of 100 or more."),
        rules.post_score(QUESTION, 100),
        once=False,
        on=["author"],
    ),
    _badge(
        "popular_question",
        _("Popular Question"),
        BRONZE,
        _("Asked a question with 1,000 views."),
        rules.question_views(1000),
        once=False,
        periodic=True,
    ),
    _badge(
        "notable_question",
        _("Notable Question"),
        SILVER,
        _("Asked a question with 2,500 views."),
        rules.question_views(2500),
        once=False,
        periodic=True,
    ),
    _badge(
        "famous_question",
        _("Famous Question"),
        GOLD,
        _("Asked a question with 10,000 views."),
        rules.question_views(10000),
        once=False,
        periodic=True,
    ),
    _badge(
        "favorite_question",
        _("Favorite Question"),
        SILVER,
        _("Question saved by 25 members."),
        rules.question_saved(25),
        once=False,
        periodic=True,
    ),
    _badge(
        "stellar_question",
        _("Stellar Question"),
        GOLD,
        _("Question saved by 100 members."),
        rules.question_saved(100),
        once=False,
        periodic=True,
    ),
    _badge(
        "tumbleweed",
        _("Tumbleweed"),
        BRONZE,
        _("Asked a question with no score, no answers, no comments and few views for a week."),
        rules.tumbleweed,
        once=False,
        periodic=True,
    ),
    # Answers
    _badge(
        "teacher",
        _("Teacher"),
        BRONZE,
        _("Answered a question with a score of 1 or more."),
        rules.post_score(ANSWER, 1, once=True),
        on=["author"],
    ),
    _badge(
        "nice_answer",
        _("Nice Answer"),
        BRONZE,
        _("Answer score of 10 or more."),
        rules.post_score(ANSWER, 10),
        once=False,
        on=["author"],
    ),
    _badge(
        "good_answer",
        _("Good Answer"),
        SILVER,
        _("Answer score of 25 or more."),
        rules.post_score(ANSWER, 25),
        once=False,
        on=["author"],
    ),
    _badge(
        "great_answer",
        _("Great Answer"),
        GOLD,
        _("Answer score of 100 or more."),
        rules.post_score(ANSWER, 100),
        once=False,
        on=["author"],
    ),
    _badge(
        "enlightened",
        _("Enlightened"),
        SILVER,
        _("First to answer and accepted with a score of 10 or more."),
        rules.enlightened,
        once=False,
        on=["author"],
    ),
    _badge(
        "guru",
        _("Guru"),
        SILVER,
        _("Accepted answer with a score of 40 or more."),
        rules.guru,
        once=False,
        on=["author"],
    ),
    _badge(
        "necromancer",
        _("Necromancer"),
        SILVER,
        _("Answered a question more than 60 days later with a score of 5 or more."),
        rules.necromancer,
        once=False,
        on=["author"],
    ),
    _badge(
        "revival",
        _("Revival"),
        BRONZE,
        _(
            "Answered more than 30 days after a question was asked, as the first answer, "
            "scoring 2 or more."
        ),
        rules.revival,
        once=False,
        on=["author"],
    ),
    _badge(
        "self_learner",
        _("Self-Learner"),
        BRONZE,
        _("Answered your own question with a score of 3 or more."),
        rules.self_learner,
        once=False,
        on=["author"],
    ),
    # Participation
    _badge(
        "autobiographer",
        _("Autobiographer"),
        BRONZE,
        _("Filled in the “About me” section of the profile."),
        rules.autobiographer,
        periodic=True,
    ),
    _badge(
        "commentator",
        _("Commentator"),
        BRONZE,
        _("Left 10 comments."),
        rules.comments_left(10),
        on=["commenter"],
    ),
    _badge(
        "pundit",
        _("Pundit"),
        SILVER,
        _("Left 10 comments with a score of 5 or more."),
        rules.comments_left(10, score=5),
        on=["comment_author"],
    ),
    _badge(
        "yearling",
        _("Yearling"),
        SILVER,
        _("Active member for a year, earning at least 200 reputation in it."),
        rules.yearling,
        once=False,
        periodic=True,
    ),
    _badge(
        "enthusiast",
        _("Enthusiast"),
        BRONZE,
        _("Visited the site each day for 30 days in a row."),
        rules.visited_days(30),
        on=["visitor"],
        periodic=True,
    ),
    _badge(
        "fanatic",
        _("Fanatic"),
        GOLD,
        _("Visited the site each day for 100 days in a row."),
        rules.visited_days(100),
        on=["visitor"],
        periodic=True,
    ),
    _badge(
        "announcer",
        _("Announcer"),
        BRONZE,
        _("Shared a link to a question that 25 different visitors followed."),
        rules.share_visits(25),
        once=False,
        on=["sharer"],
    ),
    _badge(
        "booster",
        _("Booster"),
        SILVER,
        _("Shared a link to a question that 300 different visitors followed."),
        rules.share_visits(300),
        once=False,
        on=["sharer"],
    ),
    _badge(
        "publicist",
        _("Publicist"),
        GOLD,
        _("Shared a link to a question that 1,000 different visitors followed."),
        rules.share_visits(1000),
        once=False,
        on=["sharer"],
    ),
    # Moderation
    _badge("editor", _("Editor"), BRONZE, _("First edit."), rules.posts_edited(1), on=["editor"]),
    _badge(
        "strunk_white",
        _("Strunk & White"),
        SILVER,
        _("Edited 80 posts."),
        rules.posts_edited(80),
        on=["editor"],
    ),
    _badge(
        "copy_editor",
        _("Copy Editor"),
        GOLD,
        _("Edited 500 posts."),
        rules.posts_edited(500),
        on=["editor"],
    ),
    _badge(
        "supporter", _("Supporter"), BRONZE, _("First up vote."), rules.votes_cast(1), on=["voter"]
    ),
    _badge(
        "critic", _("Critic"), BRONZE, _("First down vote."), rules.votes_cast(-1), on=["voter"]
    ),
    _badge(
        "suffrage",
        _("Suffrage"),
        BRONZE,
        _("Used 30 votes in a day."),
        rules.votes_in_a_day(30),
        on=["voter"],
    ),
    _badge(
        "vox_populi",
        _("Vox Populi"),
        BRONZE,
        _("Used the most votes a day allows."),
        rules.votes_in_a_day(rules.votes_per_day),
        on=["voter"],
    ),
    _badge(
        "civic_duty",
        _("Civic Duty"),
        SILVER,
        _("Voted 300 or more times."),
        rules.civic_duty,
        on=["voter"],
    ),
    _badge(
        "electorate",
        _("Electorate"),
        GOLD,
        _("Voted on 600 questions, and 25% or more of all votes on questions."),
        rules.electorate,
        on=["voter"],
    ),
    _badge(
        "citizen_patrol",
        _("Citizen Patrol"),
        BRONZE,
        _("First flagged post."),
        rules.citizen_patrol,
        on=["flagger"],
    ),
    _badge(
        "deputy",
        _("Deputy"),
        SILVER,
        _("Raised 80 helpful flags."),
        rules.helpful_flags(80),
        on=["flagger"],
    ),
    _badge(
        "marshal",
        _("Marshal"),
        GOLD,
        _("Raised 500 helpful flags."),
        rules.helpful_flags(500),
        on=["flagger"],
    ),
    _badge(
        "custodian",
        _("Custodian"),
        BRONZE,
        _("Completed a first review task in a review queue."),
        rules.reviews_done(1),
        once=False,
        on=["reviewer"],
    ),
    _badge(
        "reviewer",
        _("Reviewer"),
        SILVER,
        _("Completed 250 review tasks in a review queue."),
        rules.reviews_done(250),
        once=False,
        on=["reviewer"],
    ),
    _badge(
        "steward",
        _("Steward"),
        GOLD,
        _("Completed 1,000 review tasks in a review queue."),
        rules.reviews_done(1000),
        once=False,
        on=["reviewer"],
    ),
)

BADGES = {definition.key: definition for definition in TABLE}

# Tag badges, per class: (total score, number of answers) in the tag.
TAG_THRESHOLDS = {BRONZE: (100, 20), SILVER: (400, 80), GOLD: (1000, 200)}
# What re-evaluates a member's tag badges.
TAG_BADGES_ON = frozenset({"author"})
