from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BountiesConfig(AppConfig):
    name = "bounties"
    verbose_name = _("Bounties")
