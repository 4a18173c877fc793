from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.text import lookalike_key
from core.urls_cache import cached_reverse

KEY_LENGTH = 300
NAME_KEY_FIELDS = ("username_key", "name_key")


def name_keys(*, username, display_name=""):
    """The look-alike keys a user's names are stored with (username_key, name_key). Bulk
    inserts, which skip User.save(), set them from here."""
    return {
        "username_key": lookalike_key(username)[:KEY_LENGTH],
        "name_key": lookalike_key(display_name or username)[:KEY_LENGTH],
    }


class AvatarKind(models.TextChoices):
    IDENTICON = "identicon", _("Generated pattern")
    UPLOAD = "upload", _("Uploaded picture")
    GRAVATAR = "gravatar", _("Gravatar")


class User(AbstractUser):
    """A member of the community.

    `is_moderator` marks elected volunteer moderators; `is_staff` marks community managers
    and other employees. `reputation` is the stored sum of the user's reputation events.
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    reputation = models.IntegerField(_("reputation"), default=1)
    is_moderator = models.BooleanField(_("moderator"), default=False)
    about_markdown = models.TextField(_("about me"), blank=True)
    about_html = models.TextField(blank=True, editable=False)
    location = models.CharField(_("location"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    # How many badges of each class the user holds, kept by the badges app's services
    # (checked by its sweep), so the author card shows them without a query of its own.
    badges_gold = models.PositiveIntegerField(_("gold badges"), default=0, editable=False)
    badges_silver = models.PositiveIntegerField(_("silver badges"), default=0, editable=False)
    badges_bronze = models.PositiveIntegerField(_("bronze badges"), default=0, editable=False)
    # What the profile and the users list show, kept by questions' services in the
    # transactions that change the posts, votes and revisions they count (checked and
    # repaired by `recount`), so that neither page counts a member's rows. Posts count
    # while visible (an answer also while its question is), votes cast while they stand,
    # edits as the revisions a member wrote after a post's first.
    question_count = models.PositiveIntegerField(_("questions"), default=0, editable=False)
    answer_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    votes_up = models.PositiveIntegerField(_("upvotes cast"), default=0, editable=False)
    votes_down = models.PositiveIntegerField(_("downvotes cast"), default=0, editable=False)
    question_votes = models.PositiveIntegerField(
        _("votes cast on questions"), default=0, editable=False
    )
    answer_votes = models.PositiveIntegerField(
        _("votes cast on answers"), default=0, editable=False
    )
    edit_count = models.PositiveIntegerField(_("edits"), default=0, editable=False)
    # The member's picture (accounts/avatars.py): an identicon made here from their id (the
    # default), their upload (stored re-encoded under `avatar_key`), or Gravatar's picture
    # for their address, only when they chose it (`avatar_key`: the address's hash).
    avatar_kind = models.CharField(
        _("avatar"), max_length=10, choices=AvatarKind.choices, default=AvatarKind.IDENTICON
    )
    avatar_key = models.CharField(max_length=64, blank=True, editable=False)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # Imported accounts point back at their profile on the site they came from; the URL
    # also keeps a repeated import from creating the same person twice.
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)
    # Raised to end every session of the user at once (a suspension does), without
    # touching their password.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # What the username and the shown name look like (core.text.lookalike_key), so that a
    # new name that only looks like another member's is found by an index.
    username_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    name_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    # The language the site writes to the user in (emails); empty: the site's language.
    # Set at sign-up from the language the page spoke, and on the email settings page.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Questions in the member's ignored tags: faded in the lists (False) or left out (True).
    hide_ignored_tags = models.BooleanField(_("hide questions in ignored tags"), default=False)
    # Whether the member has shown the address is theirs. Only a sign-up on the site makes
    # an account unverified (accounts.services.user_create); accounts from before this
    # column, the importer's, the admin's and the tests' count as verified.
    email_verified = models.BooleanField(_("email verified"), default=True)
    # The address the account was signed up from (core.throttling.client_address), which
    # the moderators' bulk spam cleanup searches by range; no one below moderator sees it.
    # Empty for accounts from before this column, imported and made by the admin.
    signup_address = models.GenericIPAddressField(
        _("sign-up address"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reputation__gte=1), name="user_reputation_at_least_1"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_unique_email"
            ),
            models.UniqueConstraint(
                fields=["source_url"],
                condition=~models.Q(source_url=""),
                name="user_unique_source_url",
            ),
        ]
        # The users list's orderings (accounts.selectors.USER_ORDERS).
        indexes = [
            models.Index(fields=["-reputation", "id"], name="user_reputation_idx"),
            models.Index(fields=["-date_joined", "-id"], name="user_newest_idx"),
            models.Index(
                (models.F("votes_up") + models.F("votes_down")).desc(),
                models.F("id").asc(),
                name="user_voters_idx",
            ),
            models.Index(fields=["-edit_count", "id"], name="user_editors_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        # The keys are the names in another form: they follow the names whichever way
        # those change (sign-up, createsuperuser, the admin, the profile form).
        # A save of other fields only (the last visit, a password) leaves them alone.
        names_saved = update_fields is None or {"username", "display_name"} & set(update_fields)
        if names_saved:
            keys = name_keys(username=self.username, display_name=self.display_name)
            for field, key in keys.items():
                setattr(self, field, key)
            if update_fields is not None:
                update_fields = {*update_fields, *NAME_KEY_FIELDS}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def name(self):
        return self.display_name or self.username

    @property
    def slug(self):
        return slugify(self.name) or "user"

    def _get_session_auth_hash(self, secret=None):
        # Django signs each session with a hash of the password; mixing in the epoch lets
        # `session_epoch` end sessions too. Epoch 0 gives Django's own hash.
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password if not self.session_epoch else f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def get_absolute_url(self):
        # Served by questions: the profile shows the member's posts.
        return cached_reverse("questions:profile", pk=self.pk, slug=self.slug)
