"""The forms of suggested edits and reviews. A suggestion is written in the edit forms of
questions (the same fields, lengths and tag rules), with the revision it was made against;
the review actions reuse the comment form (feedback) and moderation's flag and close
forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from questions.forms import AnswerEditForm, QuestionEditForm
from reviews.models import SuggestedEdit
from reviews.services.reviewing import REJECT_REASONS

REJECT_TEXT_LENGTH = 500

RejectReason = SuggestedEdit.RejectReason
REJECT_DESCRIPTIONS = {
    RejectReason.SPAM: _("It promotes something or damages the post on purpose."),
    RejectReason.NO_IMPROVEMENT: _(
        "It makes the post no easier to read, find or understand, and no more accurate."
    ),
    RejectReason.IRRELEVANT_TAGS: _("It adds tags that do not say what the question is about."),
    RejectReason.CONFLICTS_WITH_INTENT: _(
        "It changes what the author meant to say: an edit keeps to the author's goal."
    ),
    RejectReason.ATTEMPT_TO_REPLY: _(
        "It talks to the author: it should have been a comment or an answer."
    ),
    RejectReason.OTHER: _("Something else: say what in the box below."),
}


class RevisionMixin(forms.Form):
    """The number of the revision the form was shown at: a suggestion made against an
    older one is refused, with the text kept."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class QuestionSuggestForm(QuestionEditForm, RevisionMixin):
    pass


class AnswerSuggestForm(AnswerEditForm, RevisionMixin):
    pass


def edit_form_class(post):
    """The form that edits or suggests an edit of `post`."""
    return QuestionSuggestForm if post.is_question else AnswerSuggestForm


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should this edit be rejected?"),
        choices=[(reason, RejectReason(reason).label) for reason in REJECT_REASONS],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    text = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=REJECT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “other”; the suggester reads it."),
    )

    def reasons(self):
        """The radio buttons, each with its description."""
        return [(radio, REJECT_DESCRIPTIONS[radio.data["value"]]) for radio in self["reason"]]

    def clean(self):
        data = super().clean()
        data["text"] = data.get("text", "").strip()
        if data.get("reason") == RejectReason.OTHER and not data["text"]:
            self.add_error("text", _("Say why the edit should be rejected."))
        return data
