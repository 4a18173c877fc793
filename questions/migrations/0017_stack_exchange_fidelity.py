"""What an import keeps of Stack Exchange: community wiki, who closed a question, where a
question migrated from or to, and the order of a question's tags.

The tags' table was Post.tags' implicit one; it becomes the model PostTag on the same
table (state only), which then gains its position column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0016_post_bounty"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="closers",
            field=models.JSONField(blank=True, default=list, verbose_name="closed by"),
        ),
        migrations.AddField(
            model_name="post",
            name="migrated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="migrated"),
        ),
        migrations.AddField(
            model_name="post",
            name="migrated_from",
            field=models.URLField(blank=True, max_length=300, verbose_name="migrated from"),
        ),
        migrations.AddField(
            model_name="post",
            name="migrated_to",
            field=models.URLField(blank=True, max_length=300, verbose_name="migrated to"),
        ),
        migrations.AddField(
            model_name="post",
            name="wiki_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="community wiki"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PostTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="questions.post",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="questions.tag",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "tag of a question",
                        "verbose_name_plural": "tags of questions",
                        "db_table": "questions_post_tags",
                        "unique_together": {("post", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="post",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="questions",
                        through="questions.PostTag",
                        to="questions.tag",
                        verbose_name="tags",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="posttag",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
    ]
