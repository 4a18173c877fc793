"""The import of Badges.xml from a Stack Exchange dump, a step of the importer
(questions.importers.stackexchange.extensions): a badge the table knows by its name
becomes an award of ours, a tag badge one of that tag's, and any other is kept as an
imported badge with its name and class. Each row is an award with its date, once: a
second import finds them all held (the row's id is the award's key)."""

from django.utils import translation

from badges.models import Badge
from badges.services import award_grant, badges_sync, tag_badge
from badges.table import BADGES
from questions.models import Tag

FILE = "Badges.xml"


def badges_import(state):
    if not (state.folder / FILE).is_file():
        return
    rows = badges_sync()
    with translation.override("en"):
        ours = {str(definition.name): rows[key] for key, definition in BADGES.items()}
    tags = {}
    kept = {}
    created = already = 0
    state.say(f"{FILE}: reading …")
    for row in state.rows(FILE):
        user_id = state.users.get(row.integer("UserId"))
        if user_id is None:
            state.skip(f"{FILE}: badges of people missing from Users.xml")
            continue
        name = row.text("Name")[:50]
        badge_class = row.integer("Class")
        if badge_class not in Badge.Class.values:
            raise row.error(f"Class {badge_class} is not 1, 2 or 3")
        badge = None
        if row.get("TagBased") == "True":
            if name not in tags:
                tags[name] = Tag.objects.filter(name=name).values_list("pk", flat=True).first()
            if tags[name] is not None:
                badge = tag_badge(tag_id=tags[name], tag_name=name, badge_class=badge_class)
        else:
            badge = ours.get(name)
        if badge is None:
            if (name, badge_class) not in kept:
                kept[name, badge_class] = Badge.objects.get_or_create(
                    name=name, badge_class=badge_class, imported=True, defaults={"once": False}
                )[0]
            badge = kept[name, badge_class]
        award = award_grant(
            badge=badge,
            user_id=user_id,
            key=f"se:{row.integer('Id')}",
            awarded_at=row.date("Date"),
            imported=True,
        )
        if award is None:
            already += 1
        else:
            created += 1
    state.summary.created["badges"] += created
    state.summary.already_present += already
    state.say(f"{FILE}: {created} badges awarded, {already} already held")
