from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0018_post_image"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("post_type", 2)),
                fields=["-created_at"],
                name="answer_newest_idx",
            ),
        ),
    ]
