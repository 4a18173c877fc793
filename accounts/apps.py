from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import last_seen

        user_logged_in.connect(last_seen.logged_in, dispatch_uid="accounts.last_seen")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, installed in its place in INSTALLED_APPS, with the staff site of
    accounts/admin_site.py as `admin.site`."""

    default = False
    default_site = "accounts.admin_site.StaffSite"
