from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import AccessToken

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("one year")),
    ("", _("never")),
]
MAX_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “chat bot”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[
            (AccessToken.Scope.READ, _("Read: everything you can see on the site")),
            (AccessToken.Scope.WRITE, _("Write: ask, answer, comment, edit, vote, flag, follow")),
            (AccessToken.Scope.INBOX, _("Inbox: read your inbox")),
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=[AccessToken.Scope.READ],
    )
    expires_in_days = forms.ChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if AccessToken.objects.usable().filter(user=self.user).count() >= MAX_TOKENS:
            raise forms.ValidationError(
                _("You have %(count)s tokens already: revoke one you no longer use first.")
                % {"count": MAX_TOKENS}
            )
        return cleaned
