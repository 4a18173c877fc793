from django.db import migrations, models
from django.db.models import Q


def mark_reversals(apps, schema_editor):
    """The events that undid a vote or an acceptance before this field existed: those whose
    change goes against their kind (an upvote's event that takes reputation away, a
    downvote's that gives it back). Undoings that the floor had cut to nothing left no
    event; `manage.py recount` finds and repairs those."""
    ReputationEvent = apps.get_model("questions", "ReputationEvent")
    ReputationEvent.objects.filter(
        Q(kind__in=["upvoted", "accepted", "accepting"], delta__lt=0)
        | Q(kind__in=["downvoted", "downvoting"], delta__gt=0)
    ).update(reverses=True)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0010_list_totals"),
    ]

    operations = [
        migrations.AddField(
            model_name="reputationevent",
            name="reverses",
            field=models.BooleanField(default=False, verbose_name="reverses"),
        ),
        migrations.RunPython(mark_reversals, migrations.RunPython.noop),
    ]
