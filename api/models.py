"""Personal access tokens: what a member's scripts present instead of a password."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked and not expired: the tokens that authenticate."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).filter(
            revoked_at__isnull=True
        )


class AccessToken(models.Model):
    """A token is shown once, when it is made; only the SHA-256 of its secret is stored,
    so a copy of the database lets no one act as its members."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Write")
        INBOX = "inbox", _("Inbox")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, shown on the settings page to tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Space-separated scopes, in Scope's order.
    scopes = models.CharField(_("scopes"), max_length=50)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        indexes = [models.Index(fields=["user", "-created_at"], name="accesstoken_user_idx")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_set(self):
        return frozenset(self.scopes.split())

    @property
    def scope_labels(self):
        """The scopes by name, in the reader's language."""
        return ", ".join(
            str(label) for value, label in self.Scope.choices if value in self.scope_set
        )

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
