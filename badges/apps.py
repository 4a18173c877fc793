from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _badges_sync(sender, **kwargs):
    from badges.services import badges_sync  # noqa: PLC0415 (models are ready now)

    badges_sync()


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from badges import subscribers  # noqa: PLC0415
        from badges.exporter import badges_export  # noqa: PLC0415
        from badges.importer import badges_import  # noqa: PLC0415
        from badges.middleware import logged_in  # noqa: PLC0415
        from core.events import subscribe  # noqa: PLC0415
        from questions.exporters.stackexchange import export_file_register  # noqa: PLC0415
        from questions.importers.stackexchange.extensions import (  # noqa: PLC0415
            import_step_register,
        )
        from questions.profile_tabs import ProfileTab, profile_tab_register  # noqa: PLC0415

        subscribers.subscribe_all(subscribe)
        profile_tab_register(ProfileTab("badges", _("Badges"), "badges:user", order=70))
        import_step_register("badges", badges_import)
        export_file_register("Badges", badges_export)
        post_migrate.connect(_badges_sync, sender=self, dispatch_uid="badges_sync")
        user_logged_in.connect(logged_in, dispatch_uid="badges_visit")
