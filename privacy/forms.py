from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

User = get_user_model()


class DeletionForm(forms.Form):
    """Deleting the account takes the member's password: a session left open on a shared
    computer is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class EraseForm(forms.Form):
    """A moderator names the account to erase and confirms the member asked for it."""

    username = forms.CharField(label=_("username"), max_length=150)
    confirmed = forms.BooleanField(
        label=_("The member asked for their account to be erased, and I checked it was them."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No member has this username."))
        self.cleaned_data["user"] = user
        return username
