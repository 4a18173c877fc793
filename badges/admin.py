"""The badges and their awards in the staff /admin/, read-only: badges are earned by the
rules (badges/table.py) and repaired by `badges_sweep`, never typed in."""

from django.contrib import admin

from badges.models import Award, Badge
from moderation.admin.site import StaffAdmin


@admin.register(Badge)
class BadgeAdmin(StaffAdmin):
    list_display = ["name", "badge_class", "key", "tag", "once", "imported", "award_count"]
    list_filter = ["badge_class", "imported", "once"]
    list_select_related = ["tag"]
    search_fields = ["name", "key"]


@admin.register(Award)
class AwardAdmin(StaffAdmin):
    list_display = ["badge", "user", "key", "awarded_at", "imported"]
    list_filter = ["imported"]
    list_select_related = ["badge", "badge__tag", "user"]
    raw_id_fields = ["user", "post"]
    search_fields = ["badge__name", "user__username"]
