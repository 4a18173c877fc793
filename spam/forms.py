import ipaddress

from django import forms
from django.utils.translation import gettext_lazy as _


class CleanupForm(forms.Form):
    """The bulk cleanup's search: every criterion given must match."""

    address_range = forms.CharField(
        label=_("sign-up address range"),
        required=False,
        max_length=50,
        help_text=_("An address or a network, such as 203.0.113.0/24 or 2001:db8::/32."),
    )
    joined_after = forms.DateTimeField(label=_("signed up from"), required=False)
    joined_before = forms.DateTimeField(label=_("signed up before"), required=False)
    email_domain = forms.CharField(
        label=_("email domain"), required=False, max_length=100, help_text=_("Such as example.com.")
    )
    link_domain = forms.CharField(
        label=_("links to the domain"),
        required=False,
        max_length=100,
        help_text=_("In a live post or comment, or the profile."),
    )
    judged_spam = forms.BooleanField(label=_("content the spam check called spam"), required=False)

    CRITERIA = (
        "address_range",
        "joined_after",
        "joined_before",
        "email_domain",
        "link_domain",
        "judged_spam",
    )

    def clean_address_range(self):
        value = self.cleaned_data["address_range"].strip()
        if not value:
            return None
        try:
            return ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise forms.ValidationError(
                _("Enter an address or a network such as 203.0.113.0/24.")
            ) from None

    def _domain(self, name):
        value = self.cleaned_data[name].strip().lower().lstrip("@")
        if value and ("." not in value or "/" in value or " " in value):
            raise forms.ValidationError(_("Enter a domain name such as example.com."))
        return value

    def clean_email_domain(self):
        return self._domain("email_domain")

    def clean_link_domain(self):
        return self._domain("link_domain")

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in self.CRITERIA):
            raise forms.ValidationError(_("Give at least one criterion."))
        after, before = data.get("joined_after"), data.get("joined_before")
        if after and before and after >= before:
            raise forms.ValidationError(_("The time window ends before it begins."))
        return data

    def criteria(self):
        """The criteria as the batch keeps them (JSON)."""
        data = self.cleaned_data
        return {
            name: str(data[name]) if data.get(name) not in (None, "", False) else None
            for name in self.CRITERIA
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason (for the audit log)"), required=False, max_length=500)
