"""The search query parser: Stack Exchange's syntax read into terms, without a database."""

from datetime import date

import pytest

from questions.models import Post
from questions.search import parse_query


def parse(text, max_length=500):
    return parse_query(text, max_length=max_length)


def test_words_are_all_searched_for():
    terms = parse("freundschaft  moderator")
    assert terms.words == ["freundschaft", "moderator"]
    assert terms.has_text


def test_a_quoted_phrase_is_one_term():
    terms = parse('"community   manager" moderator')
    assert terms.phrases == ["community manager"]
    assert terms.words == ["moderator"]


def test_an_unclosed_quote_runs_to_the_end_of_the_query():
    assert parse('moderator "community manager').phrases == ["community manager"]


def test_tags_in_brackets_are_lower_cased_and_all_required():
    assert parse("[Moderation] [community]").tags == ["moderation", "community"]


def test_a_minus_excludes_words_phrases_and_tags():
    terms = parse('-spam -"bad faith" -[meta] moderator')
    assert terms.excluded == ["spam", "bad faith"]
    assert terms.excluded_tags == ["meta"]
    assert terms.words == ["moderator"]


def test_exclusions_alone_are_no_text_to_match():
    terms = parse("-spam")
    assert not terms.has_text
    assert not terms.is_empty


@pytest.mark.parametrize(("query", "user"), [("user:42", 42), ("user:me", "me"), ("USER:Me", "me")])
def test_user_takes_a_number_or_me(query, user):
    assert parse(query).user == user


@pytest.mark.parametrize(
    ("query", "bounds"),
    [
        ("score:5", (5, None)),
        ("score:-2", (-2, None)),
        ("score:1..5", (1, 5)),
        ("score:3..", (3, None)),
        ("score:..0", (None, 0)),
    ],
)
def test_score_is_at_least_n_or_a_range(query, bounds):
    assert parse(query).score == bounds


def test_answers_and_views_are_lower_bounds():
    terms = parse("answers:2 views:100")
    assert terms.answers == (2, None)
    assert terms.views == (100, None)


@pytest.mark.parametrize(
    "query", ["score:abc", "answers:-1", "views:lots", "score:..", "user:bob", "inquestion:x"]
)
def test_an_operator_with_a_bad_value_is_ignored_with_a_note(query):
    terms = parse(query)
    assert terms.is_empty
    assert len(terms.notes) == 1
    assert query.split(":")[0] in terms.notes[0]


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("isaccepted:yes", "is_accepted", True),
        ("isaccepted:no", "is_accepted", False),
        ("hasaccepted:yes", "has_accepted", True),
        ("hasaccepted:0", "has_accepted", False),
        ("closed:yes", "closed", True),
        ("closed:no", "closed", False),
        ("is:question", "post_type", Post.PostType.QUESTION),
        ("is:answer", "post_type", Post.PostType.ANSWER),
        ("inquestion:17", "in_question", 17),
    ],
)
def test_yes_no_type_and_question_operators(query, field, value):
    assert getattr(parse(query), field) == value


def test_title_takes_a_word_or_a_quoted_phrase():
    assert parse('title:grammar title:"word order"').title == ["grammar", "word order"]


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("created:2012", date(2012, 1, 1), date(2013, 1, 1)),
        ("created:2012-04", date(2012, 4, 1), date(2012, 5, 1)),
        ("created:2012-12", date(2012, 12, 1), date(2013, 1, 1)),
        ("created:2012-04-11", date(2012, 4, 11), date(2012, 4, 12)),
        ("created:2012..2013", date(2012, 1, 1), date(2014, 1, 1)),
        ("created:2012-04..2012-06-15", date(2012, 4, 1), date(2012, 6, 16)),
        ("created:2020..", date(2020, 1, 1), None),
        ("created:..2013", None, date(2014, 1, 1)),
    ],
)
def test_created_takes_a_year_month_day_or_open_range(query, start, end):
    terms = parse(query)
    assert (terms.created_from, terms.created_before) == (start, end)


@pytest.mark.parametrize(
    "query",
    [
        "created:2012-13-45",
        "created:2012-02-30",
        "created:yesterday",
        "created:..",
        "created:9999-12-31",
    ],
)
def test_an_impossible_date_is_ignored_with_a_note(query):
    terms = parse(query)
    assert terms.created_from is None and terms.created_before is None
    assert terms.notes


def test_an_unknown_operator_is_searched_as_words_with_a_note():
    terms = parse("foo:bar")
    assert terms.words == ["foo:bar"]
    assert "foo:" in terms.notes[0]


def test_a_web_address_is_a_word_without_a_note():
    terms = parse("https://example.com")
    assert terms.words == ["https://example.com"]
    assert terms.notes == []


def test_an_operator_cannot_be_excluded():
    terms = parse("-user:5")
    assert terms.user is None
    assert terms.notes


def test_operators_combine_with_words_phrases_and_tags():
    terms = parse(
        '[moderation] -[meta] freundschaft "community manager" '
        "user:7 score:2 is:answer created:2012.."
    )
    assert terms.tags == ["moderation"]
    assert terms.excluded_tags == ["meta"]
    assert terms.words == ["freundschaft"]
    assert terms.phrases == ["community manager"]
    assert (terms.user, terms.score, terms.post_type) == (7, (2, None), Post.PostType.ANSWER)
    assert terms.created_from == date(2012, 1, 1)


def test_a_long_query_is_cut_and_says_so():
    terms = parse("wort " * 2000, max_length=500)
    assert terms.truncated
    assert len(terms.query) == 500
    assert len(terms.words) == 100


def test_control_characters_are_removed():
    terms = parse("moder\x00ator\x07")
    assert terms.words == ["moderator"]


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE questions_post; --", ".*[a-z]+(", "[", "]", '"', "-", "::", "[[x]]", "a:b:c"],
)
def test_odd_input_always_parses(query):
    terms = parse(query)
    assert terms.query == query


def test_a_query_of_spaces_is_empty():
    assert parse("   ").is_empty
    assert parse("").is_empty
