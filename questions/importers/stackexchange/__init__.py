"""Import of a Stack Exchange data dump: the folder of XML files Stack Exchange publishes on
archive.org (Users, Tags, Posts, PostHistory, Comments, Votes, PostLinks; Badges is not used).

The modules
- rows: the streaming reader, file and line in every error (DumpError).
- history: PostHistory.xml in a scratch file; revisions, latest Markdown, close and lock
  state, who closed, community wiki, protection, migration between sites.
- html: what an imported post shows (the Body Stack Exchange rendered, through our
  allowlist; the Markdown stays the source of edits) and links to the site made local.
- users, tags, posts, comments, votes, links: one module per file of the dump.
- state: what the steps share (dump id -> primary key maps, counter increments).
- run: the import run, in one transaction, and its summary.

How it works
- Every file is streamed row by row, so only integer maps (dump id -> our primary key) are
  kept for the whole run, and posts are created in batches with their own histories.
- The whole import is one transaction: a broken dump leaves the database as it was.
- Users, posts and comments are recognised by `source_url`; a row that already exists is
  left as it is, so a second run adds nothing. Revisions, votes, accepted answers, links
  and counter increments belong to the rows created in the same run. Votes in particular
  are anonymous and cannot be told apart, so they are imported only for new posts.

Rows that point at posts which are not imported
Stack Exchange leaves deleted posts out of its dumps but keeps some rows that point at
them; and a dump holds posts that are not questions or answers (tag wikis and their
excerpts, which fill `Tag.excerpt`, and rarer types). The policy:
- An answer whose question is not a question in the dump, and a comment or history row
  whose post is not in the dump at all, are errors: they mean a broken dump.
- Votes and post links that point at posts absent from the dump are skipped and counted:
  dumps leave deleted posts out but keep votes on them and links to them (27 of the 1119
  vote rows in the conlang.stackexchange.com dump point at absent posts; 18 of them are
  up or down votes, the rest deletion votes). So is an accepted answer that is absent.
- Comments, history rows, votes and links on posts that are in the dump but are not
  questions or answers (that dump has 23 history rows and 2 votes on tag wikis) are
  skipped and counted.
"""

from questions.importers.stackexchange.rows import DumpError
from questions.importers.stackexchange.run import ImportSummary, import_stackexchange_dump

__all__ = ["DumpError", "ImportSummary", "import_stackexchange_dump"]
