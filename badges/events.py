"""What the badges app tells the rest of the site (see core/events.py for how)."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True, kw_only=True)
class BadgeAwarded(Event):
    """`user_id` earned the badge `badge_id` (the award `award_id`); `imported`: it came
    with a Stack Exchange dump, and nobody is told."""

    award_id: int
    badge_id: int
    user_id: int
    imported: bool
