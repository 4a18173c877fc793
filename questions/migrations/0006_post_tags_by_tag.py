from django.db import migrations

# The questions of a tag, newest first, read from the index alone: the related questions
# take the newest of each tag a thread has, however many questions the tag holds. The
# table is the implicit through table of Post.tags, which a model Meta cannot index, so
# the index is plain SQL that SQLite and PostgreSQL both accept.
INDEX = "post_tags_tag_post_idx"


class Migration(migrations.Migration):
    dependencies = [("questions", "0005_post_hidden_at")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON questions_post_tags (tag_id, post_id)",
            f"DROP INDEX {INDEX}",
        ),
    ]
