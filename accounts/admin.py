from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "reputation", "is_moderator", "is_staff", "date_joined"]
    list_filter = ["is_moderator", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Community"),
            {
                "fields": [
                    "display_name", "reputation", "is_moderator", "about_markdown", "location",
                    "website", "last_seen_at", "suspended_until", "source_url",
                ]
            },
        ),
    ]
