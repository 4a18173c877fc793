"""Writing a benchmark's results into docs/PERFORMANCE.md, between markers of its own, so
that a run replaces its last results and leaves the rest of the file alone."""

import re


def section_write(doc, name, body):
    """Puts `body` between `<!-- name -->` and `<!-- /name -->` in the file `doc`: in
    place of what they held, else at the end."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    section = f"{start}\n{body}\n{end}"
    text = doc.read_text() if doc.exists() else "# Performance\n"
    if start in text:
        text = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S
        )
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text)
