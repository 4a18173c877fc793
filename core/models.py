from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleCounter(models.Model):
    """How often something was done in the current window (core/throttling.py), shared
    by every process through the database when no Redis is configured."""

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    count = models.PositiveIntegerField(_("count"))
    # Unix seconds: compared in SQL on both databases without a date format in between.
    expires_at = models.BigIntegerField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("throttle counter")
        verbose_name_plural = _("throttle counters")

    def __str__(self):
        return f"{self.key}: {self.count}"
