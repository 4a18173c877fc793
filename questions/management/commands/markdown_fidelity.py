import difflib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.markdown_fidelity import measure


class Command(BaseCommand):
    help = (
        "Renders each question and answer of a Stack Exchange dump from its latest Markdown "
        "(PostHistory.xml) and compares it with the HTML Stack Exchange rendered (Posts.xml's "
        "Body): the share of posts a reader sees identically (text and link targets), and "
        "the remaining differences by kind. By default a bare link to a question of another "
        "site shows the title Stack Exchange's rendered bodies give it, as on a site that "
        "imported the dump (the importer keeps those titles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the dump's folder, with Posts.xml and PostHistory.xml")
        parser.add_argument(
            "--site-url",
            help="the dump's site, e.g. https://conlang.meta.stackexchange.com: bare links to "
            "its questions show their titles from Posts.xml",
        )
        parser.add_argument(
            "--no-harvest",
            action="store_true",
            help="know only the dump's own questions' titles, not those its rendered bodies "
            "give for questions of other sites",
        )
        parser.add_argument(
            "--leave-one-out",
            action="store_true",
            help="harvest titles, but give each post only those read from the other posts' "
            "bodies (a post's own expected HTML never tells it a title)",
        )
        parser.add_argument(
            "--show-differences", action="store_true", help="print each differing post"
        )

    def handle(
        self, *args, folder, site_url, no_harvest, leave_one_out, show_differences, **options
    ):
        folder = Path(folder)
        for name in ("Posts.xml", "PostHistory.xml"):
            if not (folder / name).is_file():
                raise CommandError(f"{folder} holds no {name}")
        result = measure(
            folder, site_url=site_url, harvest=not no_harvest, leave_one_out=leave_one_out
        )
        if show_differences:
            for difference in result.differences:
                self._show(difference)
        self.stdout.write(
            f"{result.identical} of {result.posts} posts identical in visible text and link "
            f"targets: {result.percentage:.1f}%"
        )
        if result.differences:
            self.stdout.write("posts | what differs")
            for kind, count in result.kinds():
                self.stdout.write(f"{count:5} | {kind}")

    def _show(self, difference):
        self.stdout.write(f"--- post {difference.post_id}: {difference.kind}")
        theirs, ours = difference.stack_exchange, difference.ours
        if theirs[0] != ours[0]:
            matcher = difflib.SequenceMatcher(None, theirs[0], ours[0], autojunk=False)
            for operation, a1, a2, b1, b2 in matcher.get_opcodes():
                if operation != "equal":
                    self.stdout.write(
                        f"  Stack Exchange {theirs[0][max(0, a1 - 30) : a2 + 10]!r}\n"
                        f"  ours           {ours[0][max(0, b1 - 30) : b2 + 10]!r}"
                    )
        if theirs[1] != ours[1]:
            self.stdout.write(f"  Stack Exchange links {theirs[1]}\n  our links {ours[1]}")
