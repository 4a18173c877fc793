"""The import run: checks the folder and options, runs the steps in order in one transaction,
applies the counter increments and returns the summary."""

import re
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F

from questions.importers.stackexchange.comments import import_comments
from questions.importers.stackexchange.extensions import run_import_steps
from questions.importers.stackexchange.history import check_history, stage_history
from questions.importers.stackexchange.html import localise_links
from questions.importers.stackexchange.links import import_links
from questions.importers.stackexchange.posts import (
    LANGUAGE_CODE,
    import_answers,
    import_questions,
    set_accepted_answers,
)
from questions.importers.stackexchange.rows import DumpError, batched, read_rows
from questions.importers.stackexchange.state import ImportState
from questions.importers.stackexchange.tag_wikis import import_tag_wikis
from questions.importers.stackexchange.tags import import_tags
from questions.importers.stackexchange.titles import import_linked_titles
from questions.importers.stackexchange.users import import_users
from questions.importers.stackexchange.votes import import_votes
from questions.models import Post, Tag
from questions.profile_counts import profile_counts_recount
from questions.services import list_totals_recount

DUMP_FILES = (
    "Users.xml",
    "Tags.xml",
    "Posts.xml",
    "PostHistory.xml",
    "Comments.xml",
    "Votes.xml",
    "PostLinks.xml",
)
STACK_EXCHANGE_FOLDER = re.compile(r"stackexchange-([a-z0-9-]+(?:\.meta)?)")
HOST_FOLDER = re.compile(r"(?:[a-z0-9-]+\.)+(?:com|net|org)")

SUMMARY_KINDS = ("users", "tags", "questions", "answers", "revisions", "comments", "votes", "links")


@dataclass
class ImportSummary:
    site_url: str
    created: Counter = field(default_factory=Counter)
    already_present: int = 0
    # Rows left out, by what they are ("Votes.xml: votes on posts absent from the dump").
    skipped: Counter = field(default_factory=Counter)
    # Rows by people missing from Users.xml, kept with the name the dump gives.
    without_account: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def __str__(self):
        # And what the steps of the apps above count (extensions.py): badges, …
        kinds = (*SUMMARY_KINDS, *sorted(set(self.created) - set(SUMMARY_KINDS)))
        created = ", ".join(f"{self.created[kind]} {kind}" for kind in kinds)
        lines = [
            f"Imported {self.site_url} in {self.seconds:.1f} s: {created}; "
            f"{self.already_present} rows were already present."
        ]
        if self.without_account:
            kept = ", ".join(
                f"{count} {kind}" for kind, count in sorted(self.without_account.items())
            )
            lines.append(f"Kept with the author's name, whose account is not in Users.xml: {kept}.")
        skipped = "; ".join(f"{count} {what}" for what, count in sorted(self.skipped.items()))
        lines.append(f"Skipped: {skipped or 'nothing'}.")
        return "\n".join(lines)


def import_stackexchange_dump(*, folder, site_url=None, language="en", progress=None):
    """Imports the Stack Exchange dump in `folder`, all of it or (raising DumpError) nothing.

    `progress`, when given, is called with one line of text per file and now and then on
    long files. Returns an ImportSummary.
    """
    started = time.monotonic()
    folder = Path(folder)
    if not folder.is_dir():
        raise DumpError(f"{folder} is not a folder")
    site_url = _site_url(folder, site_url)
    if not LANGUAGE_CODE.fullmatch(language):
        raise DumpError(f"{language!r} is not a language code such as en or de")
    for name in DUMP_FILES:
        if not (folder / name).is_file():
            raise DumpError(f"missing from {folder}", file=name)

    summary = ImportSummary(site_url=site_url)
    with tempfile.TemporaryDirectory(prefix="stapel-import-") as scratch, transaction.atomic():
        state = ImportState(
            folder=folder,
            site_url=site_url,
            language=language,
            progress=progress,
            summary=summary,
            scratch=Path(scratch),
        )
        try:
            _run(state)
        finally:
            state.history.close()
    summary.seconds = time.monotonic() - started
    return summary


def _run(state):
    import_users(state)
    stage_history(state)
    import_tags(state)
    import_questions(state)
    import_tag_wikis(state)
    import_answers(state)
    check_history(state)
    set_accepted_answers(state)
    import_comments(state)
    localise_links(state)
    import_linked_titles(state)
    import_votes(state)
    import_links(state)
    run_import_steps(state)
    _report_files_not_read(state)
    _add_to_counter(Post, "answer_count", state.answer_counts)
    _add_to_counter(Post, "comment_count", state.comment_counts)
    _add_to_counter(Tag, "question_count", state.tag_counts)
    list_totals_recount()
    # The members' profile counts of what was imported (their posts, votes, edits, tags).
    profile_counts_recount()


def _report_files_not_read(state):
    """Counts the rows of the dump's other files (PostNotices.xml, PostFeedback.xml, and
    Badges.xml when no app imports it) as left out, so the summary says what was dropped."""
    for path in sorted(state.folder.glob("*.xml")):
        if path.name in state.files_read:
            continue
        rows = sum(1 for _ in read_rows(path))
        state.skip(f"{path.name}: rows of a file Stapel does not import", rows)
        state.say(f"{path.name}: not imported ({rows} rows)")


def _site_url(folder, site_url):
    if site_url:
        site_url = site_url.rstrip("/")
        try:
            URLValidator(schemes=["http", "https"])(site_url)
        except ValidationError:
            raise DumpError(f"the site URL {site_url!r} is not an http(s) address") from None
        return site_url
    name = folder.resolve().name.lower()
    if match := STACK_EXCHANGE_FOLDER.fullmatch(name):
        return f"https://{match[1]}.stackexchange.com"
    if HOST_FOLDER.fullmatch(name):
        return f"https://{name}"
    raise DumpError(
        f"cannot tell which site the folder {folder.name!r} comes from; "
        "give its address with --site-url, e.g. --site-url https://conlang.stackexchange.com"
    )


def _add_to_counter(model, field_name, increments):
    """Adds each row's increment to its counter, one UPDATE per distinct increment and chunk."""
    pks_by_increment = defaultdict(list)
    for pk, increment in increments.items():
        pks_by_increment[increment].append(pk)
    for increment, pks in pks_by_increment.items():
        for chunk in batched(pks):
            model.objects.filter(pk__in=chunk).update(**{field_name: F(field_name) + increment})
