import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0017_stack_exchange_fidelity"),
        ("accounts", "0007_profile_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UserTagStats",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question_count", models.IntegerField(default=0, verbose_name="questions")),
                ("answer_count", models.IntegerField(default=0, verbose_name="answers")),
                ("answer_score", models.IntegerField(default=0, verbose_name="answer score")),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="questions.tag",
                        verbose_name="tag",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tag_stats",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "user's tag statistics",
                "verbose_name_plural": "users' tag statistics",
                "indexes": [
                    models.Index(
                        fields=["user", "-answer_score", "-answer_count"],
                        name="usertagstats_user_idx",
                    ),
                    models.Index(
                        fields=["tag", "-answer_score", "user"], name="usertagstats_tag_idx"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "tag"), name="usertagstats_one_per_tag"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("answer_count__gte", 0), ("question_count__gte", 0)),
                        name="usertagstats_counts_not_negative",
                    ),
                ],
            },
        ),
    ]
