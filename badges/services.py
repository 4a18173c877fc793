"""Every write of the badges app: the table's rows, awarding and revoking (the members'
stored counts and the badges' award counts move with F() in the same transaction), the
evaluation of the rules, and the repair of the stored counts."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation

from accounts.models import User
from badges import rules
from badges.events import BadgeAwarded
from badges.models import Award, Badge, ShareVisit, VisitStreak
from badges.table import BADGES, TAG_THRESHOLDS
from core.events import publish

COUNT_FIELDS = {
    Badge.Class.GOLD: "badges_gold",
    Badge.Class.SILVER: "badges_silver",
    Badge.Class.BRONZE: "badges_bronze",
}


def badges_sync():
    """The table's badges as rows, by key: the rows missing are created (after a migration,
    and whenever the table grows), names and classes kept as the table says."""
    rows = {badge.key: badge for badge in Badge.objects.exclude(key="")}
    with translation.override("en"):
        wanted = {
            key: (str(definition.name), definition.badge_class, definition.once)
            for key, definition in BADGES.items()
        }
    missing = [
        Badge(key=key, name=name, badge_class=badge_class, once=once)
        for key, (name, badge_class, once) in wanted.items()
        if key not in rows
    ]
    if missing:
        Badge.objects.bulk_create(missing, ignore_conflicts=True)
        rows = {badge.key: badge for badge in Badge.objects.exclude(key="")}
    for key, (name, badge_class, once) in wanted.items():
        badge = rows[key]
        if (badge.name, badge.badge_class, badge.once) != (name, badge_class, once):
            Badge.objects.filter(pk=badge.pk).update(name=name, badge_class=badge_class, once=once)
            badge.name, badge.badge_class, badge.once = name, badge_class, once
    return rows


def tag_badge(*, tag_id, tag_name, badge_class):
    """The badge of a tag and class, made on first need."""
    badge, _created = Badge.objects.get_or_create(
        tag_id=tag_id,
        badge_class=badge_class,
        defaults={"name": tag_name[:50], "once": True},
    )
    return badge


def award_grant(*, badge, user_id, key="", post_id=None, awarded_at=None, imported=False):
    """Awards `badge` to the member, unless they hold it already (for `key`, when the badge
    is awarded many times). Two evaluations at once award it once: the second insert
    meets the unique constraint. Returns the award, or None when nothing changed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    badge=badge,
                    user_id=user_id,
                    once=badge.once,
                    key="" if badge.once and not imported else key,
                    post_id=post_id,
                    awarded_at=awarded_at or timezone.now(),
                    imported=imported,
                )
        except IntegrityError:
            return None
        Badge.objects.filter(pk=badge.pk).update(award_count=F("award_count") + 1)
        count_field = COUNT_FIELDS[badge.badge_class]
        User.objects.filter(pk=user_id).update(**{count_field: F(count_field) + 1})
        publish(
            BadgeAwarded(award_id=award.pk, badge_id=badge.pk, user_id=user_id, imported=imported)
        )
    return award


def award_revoke(*, award):
    """Takes the award back. Returns whether it existed."""
    with transaction.atomic():
        deleted, _ = Award.objects.filter(pk=award.pk).delete()
        if not deleted:
            return False
        Badge.objects.filter(pk=award.badge_id).update(award_count=F("award_count") - 1)
        count_field = COUNT_FIELDS[award.badge.badge_class]
        User.objects.filter(pk=award.user_id).update(**{count_field: F(count_field) - 1})
    return True


@dataclass
class Evaluation:
    # (badge, Hit) due and not held: awarded, or on a dry run to be awarded.
    due: list = field(default_factory=list)
    # Awards a rule no longer finds (a full evaluation only); imported ones are never here.
    unfounded: list = field(default_factory=list)


def _held(badges, user_ids):
    """Per badge of `badges` (by pk): the awards held by (member, key), and per member how
    many imported awards of a badge awarded many times there are (a dump does not say
    what each was for). One query for all of them."""
    found = {badge.pk: ({}, Counter()) for badge in badges}
    once = {badge.pk for badge in badges if badge.once}
    awards = Award.objects.filter(badge__in=badges)
    if user_ids is not None:
        awards = awards.filter(user_id__in=user_ids)
    for pk, badge_id, user_id, key, was_imported in awards.values_list(
        "pk", "badge_id", "user_id", "key", "imported"
    ):
        held, imported = found[badge_id]
        if badge_id in once:
            held[user_id, ""] = pk
        elif was_imported:
            imported[user_id] += 1
        else:
            held[user_id, key] = pk
    return found


def badges_evaluate(*, user_ids=None, keys=None, tags=True, dry_run=False, now=None):
    """Evaluates the rules of the badges `keys` (all when None) and, with `tags`, the tag
    badges, for `user_ids` (everyone when None), and awards what is due (nothing on a dry
    run). A full evaluation (everyone) also lists the awards whose rule no longer holds.
    A badge awarded once that every member asked about holds already is not looked at:
    after a member's first weeks most of an event's badges are such, and a vote's
    evaluation costs two queries less for each."""
    now = now or timezone.now()
    rows = badges_sync()
    result = Evaluation()
    evaluated = [(key, rows[key]) for key in BADGES if keys is None or key in keys]
    held_per_badge = _held([badge for _, badge in evaluated], user_ids)
    for key, badge in evaluated:
        definition = BADGES[key]
        held, imported = held_per_badge[badge.pk]
        if (
            badge.once
            and user_ids is not None
            and all((user_id, "") in held for user_id in user_ids)
        ):
            continue
        found = set()
        for hit in sorted(definition.rule(user_ids, now), key=_hit_order):
            found.add((hit.user_id, hit.key))
            if (hit.user_id, hit.key) in held:
                continue
            if imported[hit.user_id]:
                # The member's imported awards of the badge stand for its first hits.
                imported[hit.user_id] -= 1
                continue
            result.due.append((badge, hit))
            if not dry_run:
                award_grant(badge=badge, user_id=hit.user_id, key=hit.key, post_id=hit.post_id)
        if user_ids is None:
            result.unfounded.extend(pk for held_key, pk in held.items() if held_key not in found)
    if tags:
        _tag_badges_evaluate(user_ids, now, result, dry_run=dry_run)
    if result.unfounded:
        result.unfounded = list(
            Award.objects.filter(pk__in=result.unfounded, imported=False).select_related("badge")
        )
    return result


def _hit_order(hit):
    return (hit.user_id, hit.post_id or 0, hit.key)


def _tag_badges_evaluate(user_ids, now, result, *, dry_run):
    held = Award.objects.filter(badge__tag__isnull=False)
    if user_ids is not None:
        held = held.filter(user_id__in=user_ids)
    held = set(held.values_list("user_id", "badge__tag_id", "badge__badge_class"))
    for hit in rules.tag_badges(user_ids, now, TAG_THRESHOLDS):
        if (hit.user_id, hit.tag_id, hit.badge_class) in held:
            continue
        if dry_run:
            badge = Badge(name=hit.tag_name, badge_class=hit.badge_class, tag_id=hit.tag_id)
        else:
            badge = tag_badge(tag_id=hit.tag_id, tag_name=hit.tag_name, badge_class=hit.badge_class)
            award_grant(badge=badge, user_id=hit.user_id)
        result.due.append((badge, rules.Hit(hit.user_id)))


def badge_counts_recount(*, repair):
    """The members' stored counts per class and the badges' award counts against the
    awards. Returns the drift found: (what, id, stored, counted); repairs it with `repair`."""
    drift = []
    counted = {
        row["pk"]: row
        for row in User.objects.annotate(
            **{
                f"n_{name}": Count("badge_awards", filter=Q(badge_awards__badge__badge_class=cls))
                for cls, name in COUNT_FIELDS.items()
            }
        )
        .filter(
            ~Q(badges_gold=F("n_badges_gold"))
            | ~Q(badges_silver=F("n_badges_silver"))
            | ~Q(badges_bronze=F("n_badges_bronze"))
        )
        .values("pk", *COUNT_FIELDS.values(), *(f"n_{name}" for name in COUNT_FIELDS.values()))
    }
    for pk, row in counted.items():
        changes = {}
        for name in COUNT_FIELDS.values():
            if row[name] != row[f"n_{name}"]:
                drift.append((name, pk, row[name], row[f"n_{name}"]))
                changes[name] = row[f"n_{name}"]
        if repair:
            User.objects.filter(pk=pk).update(**changes)
    awards = Counter(
        dict(Award.objects.values("badge").annotate(n=Count("pk")).values_list("badge", "n"))
    )
    for pk, stored in Badge.objects.values_list("pk", "award_count"):
        if stored != awards[pk]:
            drift.append(("award_count", pk, stored, awards[pk]))
            if repair:
                Badge.objects.filter(pk=pk).update(award_count=awards[pk])
    return drift


def visit_record(*, user_id, day):
    """Counts `day` (a UTC date) in the member's run of days in a row. Returns the run's
    length, or None when the day was counted already."""
    with transaction.atomic():
        streak = VisitStreak.objects.select_for_update().filter(user_id=user_id).first()
        if streak is None:
            try:
                with transaction.atomic():
                    VisitStreak.objects.create(user_id=user_id, last_day=day)
            except IntegrityError:
                return None
            return 1
        if streak.last_day >= day:
            return None
        days = streak.days + 1 if streak.last_day == day - timedelta(days=1) else 1
        VisitStreak.objects.filter(pk=streak.pk).update(
            last_day=day, days=days, longest=max(streak.longest, days)
        )
    return days


def share_visit_record(*, question_id, sharer_id, visitor):
    """A visitor (`visitor`: a keyed hash of their address) followed the member's share
    link of the question. Returns whether it is a new visitor for that link."""
    try:
        with transaction.atomic():
            ShareVisit.objects.create(
                question_id=question_id,
                sharer_id=sharer_id,
                visitor=visitor,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True
