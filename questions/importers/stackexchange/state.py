"""What one import run shares between its steps: where the dump is, the maps from dump ids to
primary keys, what the run created, and the counter increments it owes."""

from collections import Counter

from accounts.models import User
from questions.importers.stackexchange.history import ScratchHistory
from questions.importers.stackexchange.rows import read_rows

PROGRESS_EVERY_ROWS = 100_000


class ImportState:
    def __init__(self, *, folder, site_url, language, progress, summary, scratch):
        self.folder = folder
        self.site = site_url
        self.language = language
        self.progress = progress
        self.summary = summary

        # Dump id -> primary key, for rows created now or by an earlier run.
        self.users = {}
        self.questions = {}
        self.answers = {}
        self.tags = {}
        # What this run created, and what the dump holds but Stapel does not import.
        self.new_posts = set()
        self.new_tags = set()
        self.new_comments = set()
        # The dump's files some step read, to report those no step reads.
        self.files_read = set()
        self.unimported_posts = set()
        # Tags.xml's tag wiki posts (dump post id -> tag name), and those of the tags this
        # run creates, met in Posts.xml (tag_wikis.TagWikiPost).
        self.excerpt_posts = {}
        self.wiki_posts = {}
        self.tag_wiki_posts = []
        self.accepted_answers = {}
        # Counter increments from this run's rows, applied at the end.
        self.answer_counts = Counter()
        self.comment_counts = Counter()
        self.tag_counts = Counter()
        self.revision_counts = Counter()

        self.history = ScratchHistory(scratch / "history.sqlite3")

    def say(self, message):
        if self.progress:
            self.progress(message)

    def rows(self, name):
        self.files_read.add(name)
        for number, row in enumerate(read_rows(self.folder / name), start=1):
            if number % PROGRESS_EVERY_ROWS == 0:
                self.say(f"{name}: {number} rows read …")
            yield row

    def skip(self, what, count=1):
        """Counts rows the import leaves out, for the summary: `what` names them with their
        file ("Votes.xml: votes on posts absent from the dump")."""
        if count:
            self.summary.skipped[what] += count

    def skip_all(self, prefix, counts, *, separator="; "):
        """Counts each reason -> count of `counts` as skipped under `prefix` + reason, and
        returns them as the progress line lists them ("" when there are none)."""
        for reason, count in counts.items():
            self.skip(f"{prefix}{reason}", count)
        return separator.join(f"{count} {reason}" for reason, count in sorted(counts.items()))

    def post_pk(self, post_id):
        return self.questions.get(post_id, self.answers.get(post_id))

    def person(self, user_id, given_name, names, *, of):
        """(user pk or None, name to show) for a dump user id and the name the row gives.
        A user id missing from Users.xml is counted for the summary as one of `of`
        ("posts", "comments", "revisions", "last edits"), which keep the name without an
        account."""
        pk = self.users.get(user_id)
        if pk is not None:
            return pk, (names.get(pk) or given_name)[:100]
        if user_id is not None:
            self.summary.without_account[of] += 1
        if given_name:
            return None, given_name[:100]
        return None, f"user{user_id}" if user_id is not None else ""

    def user_names(self, user_ids):
        pks = {self.users[user_id] for user_id in user_ids if user_id in self.users}
        return dict(User.objects.filter(pk__in=pks).values_list("pk", "display_name"))


def existing_source_urls(queryset, urls):
    # The explicit "not blank" lets PostgreSQL use the partial unique index on source_url,
    # which it cannot infer from an IN list of a thousand values.
    return dict(
        queryset.filter(source_url__in=urls).exclude(source_url="").values_list("source_url", "pk")
    )
