from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import EMAIL_SWITCHES, EmailSettings


class EmailSettingsForm(forms.ModelForm):
    """Which emails a member gets, their digest, whether new questions in their watched
    tags reach the inbox, and the language the site writes to them in."""

    language = forms.ChoiceField(
        label=_("Language of my emails"), choices=settings.LANGUAGES, required=True
    )

    class Meta:
        model = EmailSettings
        fields = [*EMAIL_SWITCHES, "digest", "inbox_watched_tags"]
        widgets = {"digest": forms.RadioSelect}
        help_texts = {
            "digest": _("New and unanswered questions in your watched tags, in one email."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = user.language or settings.LANGUAGE_CODE

    def kind_fields(self):
        """The switches of the emails per inbox entry: one per kind, and the followers'."""
        return [self[switch] for switch in EMAIL_SWITCHES]
