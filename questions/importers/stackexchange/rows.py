"""Reading a dump file: its <row> elements, streamed one at a time with expat, which knows the
line of each row. So a dump of many gigabytes never sits in memory, and every error names its
file and line."""

from datetime import UTC, datetime
from xml.parsers import expat

BATCH_SIZE = 1000
READ_CHUNK_BYTES = 1 << 20


class DumpError(Exception):
    """A dump that cannot be imported. The message names the file and line at fault."""

    def __init__(self, message, *, file=None, line=None):
        where = ", ".join(part for part in (file, line and f"line {line}") if part)
        super().__init__(f"{where}: {message}" if where else message)


class Row(dict):
    """The attributes of one <row> element, and the file and line it stands on."""

    def __init__(self, attributes, *, file, line):
        super().__init__(attributes)
        self.file = file
        self.line = line

    def error(self, message):
        return DumpError(message, file=self.file, line=self.line)

    def text(self, name):
        # The dumps write line breaks as CRLF; Stapel stores plain newlines.
        return self.get(name, "").replace("\r\n", "\n")

    def integer(self, name):
        return self._required(name, self.optional_integer(name))

    def optional_integer(self, name):
        return self._optional(name, int, "a whole number")

    def date(self, name):
        return self._required(name, self.optional_date(name))

    def optional_date(self, name):
        moment = self._optional(name, datetime.fromisoformat, "a date")
        # The dumps' times are UTC without saying so.
        return moment.replace(tzinfo=UTC) if moment is not None and not moment.tzinfo else moment

    def _required(self, name, value):
        if value is None:
            raise self.error(f"the row has no {name}")
        return value

    def _optional(self, name, convert, what):
        """The attribute through `convert`, None if the row lacks it; a DumpError at the row
        if it is not `what` ("a date")."""
        value = self.get(name, "")
        if not value:
            return None
        try:
            return convert(value)
        except ValueError:
            raise self.error(f"{name} {value!r} is not {what}") from None


def read_rows(path):
    """Yields the <row> elements of one dump file, one at a time, each with its line."""
    parser = expat.ParserCreate()
    rows = []
    depth = 0

    def start(tag, attributes):
        nonlocal depth
        depth += 1
        if depth == 2 and tag == "row":
            rows.append(Row(attributes, file=path.name, line=parser.CurrentLineNumber))

    def end(tag):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(READ_CHUNK_BYTES)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as error:
                raise DumpError(
                    f"malformed XML: {expat.ErrorString(error.code)} (column {error.offset + 1})",
                    file=path.name,
                    line=error.lineno,
                ) from None
            yield from rows
            rows.clear()
            if not chunk:
                return


def batched(iterable, size=BATCH_SIZE):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
