from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from questions.models import Post, ReputationEvent, Tag
from tests import factories


def recount(*options):
    out = StringIO()
    call_command("recount", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def consistent_thread():
    asker = factories.user(username="asker")
    question = factories.question(author=asker, tags=["grammar", "phonology"])
    answer = factories.answer(question)
    factories.comment(answer)
    factories.vote(answer, user=factories.user())
    factories.reputation_event(
        answer.author, kind=ReputationEvent.Kind.UPVOTED, delta=10, post=answer
    )
    return question, answer


@pytest.mark.django_db
def test_recount_reports_no_drift_when_every_counter_matches_its_rows(consistent_thread):
    output = recount()

    assert "No drift." in output
    assert "post score: 0 drifted" in output


@pytest.mark.django_db
def test_recount_reports_and_repairs_every_kind_of_drift(consistent_thread):
    question, answer = consistent_thread
    Post.objects.filter(pk=answer.pk).update(score=7, comment_count=0)
    Post.objects.filter(pk=question.pk).update(answer_count=5)
    Tag.objects.filter(name="grammar").update(question_count=0)
    User.objects.filter(pk=answer.author_id).update(reputation=500)

    output = recount()

    assert "post score: 1 drifted" in output
    assert "answer count: 1 drifted" in output
    assert "comment count: 1 drifted" in output
    assert "tag question count: 1 drifted" in output
    assert "reputation: 1 drifted" in output
    assert "Repaired drift in 5 rows." in output
    answer.refresh_from_db()
    question.refresh_from_db()
    assert (answer.score, answer.comment_count, question.answer_count) == (1, 1, 1)
    assert Tag.objects.get(name="grammar").question_count == 1
    assert User.objects.get(pk=answer.author_id).reputation == 11
    assert "No drift." in recount()


@pytest.mark.django_db
@pytest.mark.drift
def test_a_dry_run_reports_drift_without_repairing_it(consistent_thread):
    question, _answer = consistent_thread
    Post.objects.filter(pk=question.pk).update(answer_count=9)

    output = recount("--dry-run")

    assert "answer count: 1 drifted" in output
    assert "not repaired" in output
    question.refresh_from_db()
    assert question.answer_count == 9


@pytest.mark.django_db
def test_deleted_answers_and_questions_are_not_counted(consistent_thread):
    question, answer = consistent_thread
    Post.objects.filter(pk=answer.pk).update(deleted_at=timezone.now())
    Post.objects.filter(pk=question.pk).update(deleted_at=timezone.now())

    output = recount()

    assert "answer count: 1 drifted" in output
    assert "tag question count: 2 drifted" in output
    question.refresh_from_db()
    assert question.answer_count == 0
    assert set(Tag.objects.values_list("question_count", flat=True)) == {0}


@pytest.mark.django_db
def test_reputation_is_one_plus_the_ledger_and_never_below_one(consistent_thread):
    newcomer = factories.user()
    ReputationEvent.objects.create(
        user=newcomer, kind=ReputationEvent.Kind.DOWNVOTED, delta=-2, created_at=timezone.now()
    )
    User.objects.filter(pk=newcomer.pk).update(reputation=40)

    output = recount()

    assert "reputation: 1 drifted" in output
    assert User.objects.get(pk=newcomer.pk).reputation == 1


PROJECT = Path(__file__).resolve().parents[2]
DUMPS = {
    "demo": (PROJECT / "questions" / "demo_data", "https://demo.stapel.example"),
    "conlang": (
        PROJECT.parent / "shared" / "corpora" / "stackexchange-conlang",
        "https://conlang.stackexchange.com",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("dump", DUMPS)
def test_an_imported_dump_has_no_drift(dump):
    folder, site_url = DUMPS[dump]
    if not folder.is_dir():
        pytest.skip(f"the {dump} dump is not at {folder}")
    call_command(
        "import_stackexchange", str(folder), site_url=site_url, quiet=True, stdout=StringIO()
    )

    assert "No drift." in recount("--dry-run")
