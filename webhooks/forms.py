from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks import safety
from webhooks.kinds import Kind
from webhooks.models import Webhook


class WebhookForm(forms.ModelForm):
    """The address (checked as the deliveries will check it), the events, the switch."""

    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An http or https address on the public internet. Each delivery is a POST "
            "of JSON, signed with the webhook's secret."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = Webhook
        fields = ["url", "kinds", "is_active"]
        help_texts = {
            "is_active": _("Switching a webhook on again starts its count of failures afresh."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            safety.resolve(url)
        except safety.UnsafeURL as refusal:
            raise forms.ValidationError(str(refusal), code="unsafe") from refusal
        return url

    def clean_kinds(self):
        chosen = set(self.cleaned_data["kinds"])
        # In the catalogue's order, whatever order they came in.
        return [kind for kind in Kind.values if kind in chosen]
