from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from accounts.roles import is_community_manager

PROFILE_FIELDS = ["display_name", "about_markdown", "location", "website"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users for the staff. What the services keep is read-only here: reputation (the sum of
    the user's reputation events), suspensions (moderation's suspend and lift), the roles
    (moderation's admin adds the actions that change them and write the audit log), and when
    the user was last seen."""

    list_display = [
        "username",
        "display_name",
        "email",
        "reputation",
        "is_moderator",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_moderator", "is_staff", "is_superuser", "is_active", "email_verified"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Community"),
            {
                "fields": [
                    "display_name",
                    "reputation",
                    "is_moderator",
                    "about_markdown",
                    "location",
                    "website",
                    "last_seen_at",
                    "suspended_until",
                    "source_url",
                    # A superuser may confirm an address by hand (a member whose mail
                    # never arrives).
                    "email_verified",
                ]
            },
        ),
    ]
    readonly_fields = ["is_moderator", "is_staff", "reputation", "suspended_until", "last_seen_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request):
        return is_community_manager(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_community_manager(request.user) or super().has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(PROFILE_FIELDS) & set(form.changed_data):
            # The profile service renders the "about" text, as the profile page does.
            profile = {name: getattr(obj, name) for name in PROFILE_FIELDS}
            services.profile_update(user=obj, **profile)
