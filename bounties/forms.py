from django import forms
from django.utils.translation import gettext_lazy as _

from bounties.models import AMOUNTS, Bounty


class BountyForm(forms.Form):
    amount = forms.TypedChoiceField(
        label=_("Amount"),
        choices=[(amount, f"+{amount}") for amount in AMOUNTS],
        coerce=int,
        help_text=_("Taken from your reputation at once, and not given back if it ends unawarded."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Bounty.Reason.choices,
        widget=forms.RadioSelect,
        initial=Bounty.Reason.DRAW_ATTENTION,
    )
