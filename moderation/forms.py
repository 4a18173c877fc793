import re

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import CloseVote, Flag
from questions.models import Post, Question

FLAG_TEXT_LENGTH = (10, 500)
REASON_LENGTH = 500

POST_REASONS = [
    (Flag.Reason.SPAM, _("Exists only to promote a product or service, without saying so.")),
    (Flag.Reason.RUDE, _("Rude, abusive or hateful: a reasonable person would find it offensive.")),
    (
        Flag.Reason.NOT_AN_ANSWER,
        _("Does not try to answer the question: a new question, a comment or thanks."),
    ),
    (
        Flag.Reason.LOW_QUALITY,
        _("So poorly written or incomplete that it cannot be saved by editing."),
    ),
    (Flag.Reason.MODERATOR, _("Something else a moderator should look at: tell them what.")),
]
COMMENT_REASONS = [
    (Flag.Reason.HARASSMENT, _("Harassment, bigotry or abuse.")),
    (Flag.Reason.UNFRIENDLY, _("Unfriendly or unkind, condescending or dismissive.")),
    (Flag.Reason.NO_LONGER_NEEDED, _("Outdated, answered already, or chatter.")),
    (Flag.Reason.OTHER, _("Something else: tell the moderators what.")),
]
# Reasons that mean little without the flagger's own words.
TEXT_REQUIRED = {Flag.Reason.MODERATOR, Flag.Reason.OTHER}

CLOSE_REASON_DESCRIPTIONS = {
    CloseVote.Reason.DUPLICATE: _("This question has been asked before and already has an answer."),
    CloseVote.Reason.OFF_TOPIC: _("This question is not about the subject of this site."),
    CloseVote.Reason.NEEDS_DETAILS: _(
        "It needs details or a clearer problem statement to be answered."
    ),
    CloseVote.Reason.NEEDS_FOCUS: _("It asks several questions at once, or too broad a one."),
    CloseVote.Reason.OPINION_BASED: _(
        "Answers to it would be mostly opinions, not facts and experience."
    ),
}

_QUESTION_URL = re.compile(r"(?:^|/)(?:questions|q)/(\d+)(?:[/?#]|$)")


def _reason_choices(reasons):
    """Radio choices that carry their description: templates show it under the label."""
    return [(value, value.label) for value, _description in reasons]


class FlagForm(forms.Form):
    """The reasons offered depend on what is flagged: an answer can be "not an answer",
    a question cannot, and comments have reasons of their own."""

    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=FLAG_TEXT_LENGTH[1],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for “needs moderator attention” and “something else”: 10 to 500 characters."
        ),
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(target, Post):
            reasons = COMMENT_REASONS
        elif target.is_question:
            reasons = [reason for reason in POST_REASONS if reason[0] != Flag.Reason.NOT_AN_ANSWER]
        else:
            reasons = POST_REASONS
        self.descriptions = dict(reasons)
        self.fields["reason"].choices = _reason_choices(reasons)

    def reasons(self):
        """The radio buttons, each with its description."""
        return [(radio, self.descriptions[radio.data["value"]]) for radio in self["reason"]]

    def clean(self):
        data = super().clean()
        text = data.get("text", "").strip()
        data["text"] = text
        if data.get("reason") in TEXT_REQUIRED and len(text) < FLAG_TEXT_LENGTH[0]:
            self.add_error(
                "text",
                _("Tell the moderators what is wrong in at least %(count)s characters.")
                % {"count": FLAG_TEXT_LENGTH[0]},
            )
        return data


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_LENGTH)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason: it goes into the audit log."))
        return reason


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should this question be closed?"),
        choices=CloseVote.Reason.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    duplicate_of = forms.CharField(
        label=_("Duplicate of"),
        required=False,
        max_length=300,
        help_text=_("The address or the number of the question that already answers this one."),
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    def reasons(self):
        return [(radio, CLOSE_REASON_DESCRIPTIONS[radio.data["value"]]) for radio in self["reason"]]

    def clean_duplicate_of(self):
        value = self.cleaned_data["duplicate_of"].strip()
        if not value:
            return None
        match = re.fullmatch(r"\d+", value) or _QUESTION_URL.search(value)
        if match is None:
            raise forms.ValidationError(_("Enter a question's address or its number."))
        pk = int(match.group(1) if match.lastindex else match.group(0))
        if pk == self.question.pk:
            raise forms.ValidationError(_("A question cannot be a duplicate of itself."))
        original = Question.objects.visible().filter(pk=pk).first()
        if original is None:
            raise forms.ValidationError(_("There is no question %(number)s.") % {"number": pk})
        return original

    def clean(self):
        data = super().clean()
        if data.get("reason") == CloseVote.Reason.DUPLICATE and not data.get("duplicate_of"):
            if "duplicate_of" not in self.errors:
                self.add_error("duplicate_of", _("Name the question this one duplicates."))
        elif data.get("reason") and data.get("reason") != CloseVote.Reason.DUPLICATE:
            data["duplicate_of"] = None
        return data


class ReopenForm(forms.Form):
    """A reopen vote needs no words; a moderator's binding reopen goes into the audit log
    with its reason."""

    reason = forms.CharField(label=_("Reason"), max_length=REASON_LENGTH, required=False)

    def __init__(self, *args, reason_required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class AppealForm(forms.Form):
    note = forms.CharField(
        label=_("Why should the community managers look again?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
