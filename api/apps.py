from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The schema's descriptions of the API's authentication, registered on import.
        from api import schema  # noqa: F401, PLC0415
