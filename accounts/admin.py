from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from moderation import services as moderation_services
from accounts.roles import is_community_manager


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
    # Roles change only through the actions below (moderation.services.role_set), which
    # write the audit log; the form shows them.
    readonly_fields = ["is_moderator", "is_staff"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["make_user", "make_moderator", "make_community_manager"]

    def has_module_permission(self, request):
        return is_community_manager(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_community_manager(request.user) or super().has_view_permission(request, obj)

    def has_role_permission(self, request):
        """Community managers appoint and remove moderators and community managers."""
        return is_community_manager(request.user) and request.user.is_active

    def _set_role(self, request, queryset, role):
        changed = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, _("You cannot change your own role."), messages.WARNING)
            elif user.is_superuser and not request.user.is_superuser:
                self.message_user(
                    request, _("Only a superuser can change the role of %(name)s.") % {"name": user.username},
                    messages.WARNING,
                )
            else:
                changed += moderation_services.role_set(user=user, role=role, actor=request.user)
        self.message_user(
            request, ngettext("%(count)d role changed.", "%(count)d roles changed.", changed) % {"count": changed}
        )

    @admin.action(description=_("Make plain users"), permissions=["role"])
    def make_user(self, request, queryset):
        self._set_role(request, queryset, "user")

    @admin.action(description=_("Make moderators"), permissions=["role"])
    def make_moderator(self, request, queryset):
        self._set_role(request, queryset, "moderator")

    @admin.action(description=_("Make community managers"), permissions=["role"])
    def make_community_manager(self, request, queryset):
        self._set_role(request, queryset, "community_manager")
