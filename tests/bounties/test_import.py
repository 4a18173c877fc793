"""Votes.xml's bounty votes (8: BountyStart, 9: BountyClose) become bounties on import,
without moving reputation (the dump's reputation is the opening balance), once.

The conlang dump holds no bounty votes: the tests add some to a copy of it, on its real
questions and answers."""

import io
import shutil
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from bounties.models import Bounty
from questions.models import Post, ReputationEvent

CONLANG_DUMP = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "stackexchange-conlang"
SITE = "https://conlang.stackexchange.com"

pytestmark = pytest.mark.skipif(
    not (CONLANG_DUMP / "Votes.xml").is_file(),
    reason=f"the conlang.stackexchange.com dump is not checked out at {CONLANG_DUMP}",
)


def rows(name):
    return [row.attrib for row in ElementTree.parse(CONLANG_DUMP / name).getroot()]


def run_import(folder):
    out = io.StringIO()
    call_command("import_stackexchange", str(folder), site_url=SITE, stdout=out)
    return out.getvalue()


def dump_with_bounties(tmp_path, votes):
    """A copy of the conlang dump with `votes` (attribute dicts) added to Votes.xml."""
    folder = tmp_path / "stackexchange-conlang"
    shutil.copytree(CONLANG_DUMP, folder)
    path = folder / "Votes.xml"
    path.chmod(0o644)
    text = path.read_text(encoding="utf-8-sig")
    added = "".join(
        "  <row " + " ".join(f'{key}="{value}"' for key, value in vote.items()) + " />\n"
        for vote in votes
    )
    path.write_text(text.replace("</votes>", added + "</votes>"), encoding="utf-8")
    return folder


@pytest.fixture
def thread():
    """A question of the dump with two answers, and three other questions."""
    posts = rows("Posts.xml")
    answers = {}
    for post in posts:
        if post["PostTypeId"] == "2":
            answers.setdefault(post["ParentId"], []).append(post["Id"])
    question_id = next(pk for pk, found in answers.items() if len(found) >= 2)
    others = [
        post["Id"] for post in posts if post["PostTypeId"] == "1" and post["Id"] != question_id
    ][:2]
    offerer_id = next(user["Id"] for user in rows("Users.xml") if int(user["Id"]) > 0)
    return question_id, answers[question_id][:2], others, offerer_id


def day(text):
    return f"{text}T00:00:00.000"


def test_the_conlang_dump_as_it_is_has_no_bounty_votes_and_imports_none(db):
    assert not [vote for vote in rows("Votes.xml") if vote["VoteTypeId"] in ("8", "9")]

    run_import(CONLANG_DUMP)

    assert not Bounty.objects.exists()


def test_bounty_votes_become_bounties_without_moving_reputation_and_only_once(db, tmp_path, thread):
    question_id, (first_answer, second_answer), (expired_on, running_on), offerer_id = thread
    recent = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000")
    folder = dump_with_bounties(
        tmp_path,
        [
            # Awarded whole by its offerer.
            {"Id": 900001, "PostId": question_id, "VoteTypeId": 8, "UserId": offerer_id,
             "CreationDate": day("2019-01-01"), "BountyAmount": 100},
            {"Id": 900002, "PostId": first_answer, "VoteTypeId": 9,
             "CreationDate": day("2019-01-05"), "BountyAmount": 100},
            # A second one on the same question, half of it awarded by the site.
            {"Id": 900003, "PostId": question_id, "VoteTypeId": 8, "UserId": offerer_id,
             "CreationDate": day("2019-03-01"), "BountyAmount": 200},
            {"Id": 900004, "PostId": second_answer, "VoteTypeId": 9,
             "CreationDate": day("2019-03-09"), "BountyAmount": 100},
            # Ended long ago with no award.
            {"Id": 900005, "PostId": expired_on, "VoteTypeId": 8, "UserId": offerer_id,
             "CreationDate": day("2020-06-01"), "BountyAmount": 50},
            # Still running when the dump is imported.
            {"Id": 900006, "PostId": running_on, "VoteTypeId": 8, "UserId": offerer_id,
             "CreationDate": recent, "BountyAmount": 150},
            # On a post the dump does not hold.
            {"Id": 900007, "PostId": 99999999, "VoteTypeId": 8, "UserId": offerer_id,
             "CreationDate": day("2020-06-01"), "BountyAmount": 50},
        ],
    )  # fmt: skip

    output = run_import(folder)

    assert "Votes.xml: 4 bounties created, 0 already present" in output
    assert "1 on posts that are not imported questions" in output
    question = Post.objects.get(source_url=f"{SITE}/q/{question_id}")
    offerer = User.objects.get(source_url=f"{SITE}/users/{offerer_id}")
    awarded, automatic = Bounty.objects.filter(question=question).order_by("started_at")
    assert (awarded.status, awarded.amount, awarded.awarded_amount) == ("awarded", 100, 100)
    assert awarded.answer.source_url.endswith(f"/{first_answer}")
    assert awarded.offerer == offerer
    assert (automatic.status, automatic.amount, automatic.awarded_amount) == (
        "auto_awarded",
        200,
        100,
    )
    assert automatic.answer.source_url.endswith(f"/{second_answer}")
    expired = Bounty.objects.get(question__source_url=f"{SITE}/q/{expired_on}")
    assert (expired.status, expired.answer) == ("expired", None)
    running = Bounty.objects.get(question__source_url=f"{SITE}/q/{running_on}")
    assert running.status == "active"
    assert Post.objects.get(pk=running.question_id).bounty_amount == 150
    assert Post.objects.get(pk=running.question_id).bounty_ends_at == running.ends_at
    # The dump's reputation stands as it was: the bounties are in it already.
    assert not ReputationEvent.objects.filter(kind__startswith="bounty").exists()
    dump_reputation = next(
        int(user["Reputation"]) for user in rows("Users.xml") if user["Id"] == offerer_id
    )
    assert offerer.reputation == max(dump_reputation, 1)

    again = run_import(folder)

    assert "Votes.xml: 0 bounties created, 4 already present" in again
    assert Bounty.objects.count() == 4
