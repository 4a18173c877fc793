"""Keeping the search index current.

`search_index_update` writes the vector in one UPDATE from the row as stored, its tags and
the text-search configuration (FORUM_SEARCH_CONFIG, which settings choose from
FORUM_LANGUAGE). The services call it after every create and edit (a rollback is an edit)
and the importer after each batch. It is not a trigger: tags arrive in another table after
the post, and the configuration is a setting. After changing FORUM_LANGUAGE, rebuild the
index with `manage.py shell -c "from questions.search import search_index_update;
search_index_update()"`. Deletion leaves the vector alone: searches skip deleted posts, unless
they ask for them with deleted:yes (moderators all of them, members their own).
"""

from django.conf import settings
from django.db import connection

from questions.models import Post


def search_index_update(*, post_ids=None):
    """Recomputes the stored search vector of the posts `post_ids` (all posts if None).

    Nothing to do on SQLite, which has no index."""
    if connection.vendor != "postgresql":
        return
    if post_ids is not None and not post_ids:
        return
    quote = connection.ops.quote_name
    through = Post.tags.through
    post_table = quote(Post._meta.db_table)
    through_table = quote(through._meta.db_table)
    tag_table = quote(through._meta.get_field("tag").related_model._meta.db_table)
    config = settings.FORUM_SEARCH_CONFIG
    sql = f"""
        UPDATE {post_table} AS post SET search_vector =
            setweight(to_tsvector(%s::regconfig, post.title), 'A')
            || setweight(to_tsvector(%s::regconfig, coalesce((
                SELECT string_agg(tag.name, ' ') FROM {through_table} AS post_tag
                JOIN {tag_table} AS tag ON tag.id = post_tag.tag_id
                WHERE post_tag.post_id = post.id), '')), 'B')
            || setweight(to_tsvector(%s::regconfig, post.body_html), 'C')
    """
    params = [config, config, config]
    if post_ids is not None:
        sql += " WHERE post.id = ANY(%s)"
        params.append(list(post_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
