from django.contrib import admin

from accounts.roles import is_suspended


class StaffSite(admin.AdminSite):
    """Django's /admin/, for the community managers and other staff: a suspended account
    is not let in, whatever its flags (accounts/roles.py)."""

    def has_permission(self, request):
        return super().has_permission(request) and not is_suspended(request.user)
