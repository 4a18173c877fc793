from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.selectors import name_taken_by_lookalike
from core import throttling
from core.text import clean_text, has_role_marker, normalise_name

User = get_user_model()

ABOUT_MAX_LENGTH = 5000
LOOKALIKE = _(
    "This name looks like the name of another member: readers could not tell you apart. "
    "Please choose another."
)


class SignUpForm(UserCreationForm):
    # The model field's own limit: a longer address would pass the form and fail in the database.
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown to others. Used to reset your password."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

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
