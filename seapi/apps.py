from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeapiConfig(AppConfig):
    name = "seapi"
    verbose_name = _("Stack Exchange API")
