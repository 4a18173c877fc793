"""Search: Stack Exchange's query syntax, behind /search/.

`parse_query` (parser.py) turns what a visitor typed into `SearchTerms`, plain data that
never touches the database; `search` (query.py) turns terms into one page of results, with
a snippet for each (snippets.py); `search_index_update` (index.py) keeps the index current.

Where the index lives, and why there
On PostgreSQL every post has a `search_vector` tsvector (title weight A, tags B, body C),
GIN-indexed. Migration 0004 adds the column and the index only when it runs on PostgreSQL;
it is not a field of `Post`. As a field it would be loaded by every query of posts (lists,
threads, the importer) for nothing, and Django's SearchVectorField and GinIndex do not
migrate on SQLite. A separate model would keep it out of Post's rows too, but needs a model
for a table that exists only on PostgreSQL and a join on every search. So the column is
named in SQL in postgres.py and index.py and nowhere else. On SQLite there is no index: the
same terms match with icontains (sqlite.py).
"""

from questions.search.index import search_index_update
from questions.search.parser import SearchTerms, parse_query
from questions.search.query import SearchResults, search, title_has_any, title_matches

__all__ = [
    "SearchResults",
    "SearchTerms",
    "parse_query",
    "search",
    "search_index_update",
    "title_has_any",
    "title_matches",
]
