from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: installed as an app only for its one table, the throttling
    counters that the processes share when there is no Redis."""

    name = "core"
    verbose_name = _("Core")
