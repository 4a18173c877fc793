"""A page of a member's questions or answers, however deep, read from an index alone:
post_author_best_idx gains the id as its last key (the votes order's tiebreak), and
post_author_newest_idx orders them newest first. On SQLite the INCLUDE is left out, as
Django does there."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0022_linked_titles"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="post",
            name="post_author_best_idx",
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["author", "post_type", "-score", "-created_at", "-id"],
                include=("parent",),
                name="post_author_best_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["author", "post_type", "-created_at", "-id"],
                include=("parent",),
                name="post_author_newest_idx",
            ),
        ),
    ]
