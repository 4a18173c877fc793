import time

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core import signing
from django.utils.translation import gettext_lazy as _

from accounts import challenge
from accounts.models import AvatarKind
from accounts.selectors import name_taken_by_lookalike
from core import throttling
from core.text import clean_text, has_role_marker, normalise_name

User = get_user_model()

ABOUT_MAX_LENGTH = 5000
LOOKALIKE = _(
    "This name looks like the name of another member: readers could not tell you apart. "
    "Please choose another."
)


REFUSED = _("We could not accept this sign-up. Please check your entries and send the form again.")
TOO_FAST = _(
    "That was quicker than we expect anyone to fill in this form. Please check your "
    "entries and send the form again."
)
CHALLENGE_FAILED = _(
    "The check that runs in your browser did not finish. Please wait until it shows it is "
    "done and send the form again."
)
STARTED_SALT = "accounts.signup-started"


def signup_started_stamp():
    """The signed time the sign-up form was shown, which it sends back."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


class SignUpForm(UserCreationForm):
    """The sign-up, with its defences against bots when FORUM_SIGNUP_DEFENCES is on: a
    field people do not see (`homepage`: a bot that fills it is refused), a minimum time
    between showing the form and sending it (`started`, signed) and ALTCHA's proof of work
    (`altcha`, from the widget). Without a solution, as from a browser without JavaScript,
    the form is `email_first`: the view emails a link that creates the account."""

    # The model field's own limit: a longer address would pass the form and fail in the database.
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown to others. Used to reset your password."),
    )

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email_first = False
        self.initial["started"] = signup_started_stamp()

    def _stamp_time(self):
        try:
            return signing.loads(
                self.data.get("started", ""),
                salt=STARTED_SALT,
                max_age=settings.FORUM_SIGNUP_CHALLENGE_SECONDS * 3,
            )
        except (signing.BadSignature, TypeError):
            return None

    def clean(self):
        cleaned = super().clean()
        if not settings.FORUM_SIGNUP_DEFENCES or self.errors:
            return cleaned
        if cleaned.get("homepage"):
            raise forms.ValidationError(REFUSED, code="refused")
        started = self._stamp_time()
        if started is None:
            # Missing or forged: the form shown again starts the clock now.
            self.data = self.data.copy()
            self.data["started"] = signup_started_stamp()
            raise forms.ValidationError(REFUSED, code="refused")
        if time.time() - started < settings.FORUM_SIGNUP_MIN_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        payload = cleaned.get("altcha")
        if not payload:
            self.email_first = True
        elif not challenge.solution_accepted(payload):
            raise forms.ValidationError(CHALLENGE_FAILED, code="challenge")
        return cleaned

    def clean_username(self):
        # Django's own check refuses the same name in another case (and then gives None).
        username = super().clean_username()
        if username and name_taken_by_lookalike(username):
            raise forms.ValidationError(LOOKALIKE)
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address exists already."))
        return email


class LoginForm(AuthenticationForm):
    """Django's log-in form, refusing for a while after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed log-in attempts. Please wait %(minutes)s minutes and try again."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        address = throttling.client_address(self.request) if self.request else ""
        if throttling.login_blocked(username=username, address=address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttling.login_failed(username=username, address=address)
            raise
        # Without a password Django's form never checks one; resetting the count then
        # would let anyone wipe an account's failures with an empty submission.
        if self.user_cache is not None:
            throttling.login_succeeded(username=username)
        return cleaned


class ProfileForm(forms.ModelForm):
    about_markdown = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=ABOUT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown is supported."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=User._meta.get_field("website").max_length,
        assume_scheme="https",
    )

    class Meta:
        model = User
        fields = ["display_name", "about_markdown", "location", "website"]

    def clean_display_name(self):
        name = normalise_name(self.cleaned_data["display_name"])
        if has_role_marker(name):
            raise forms.ValidationError(
                _("The diamond and similar marks stand for moderators: please leave them out.")
            )
        if name and name_taken_by_lookalike(name, user=self.instance, exact_allowed=True):
            raise forms.ValidationError(LOOKALIKE)
        return name

    def clean_about_markdown(self):
        return clean_text(self.cleaned_data["about_markdown"])

    def clean_location(self):
        return clean_text(self.cleaned_data["location"]).strip()


class AvatarForm(forms.Form):
    """The member's picture: the generated pattern, an upload (checked and re-encoded by
    accounts.avatars), or Gravatar's, which the site then asks Gravatar for."""

    kind = forms.ChoiceField(
        label=_("Picture"),
        choices=AvatarKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Gravatar shows the picture you keep there for your email address; the site "
            "asks Gravatar for it only if you choose it."
        ),
    )
    picture = forms.FileField(
        label=_("Upload a picture"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most %(megabytes)s MB. It is shown square.")
        % {"megabytes": round(settings.FORUM_AVATAR_MAX_BYTES / 1024 / 1024, 1)},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AvatarKind.UPLOAD and not cleaned.get("picture"):
            self.add_error("picture", _("Choose a picture to upload."))
        return cleaned
