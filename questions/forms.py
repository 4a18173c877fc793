import re
import uuid
from datetime import timedelta

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import privileges
from core.markdown import render_post
from core.text import clean_text
from questions import permissions
from questions.models import TAG_NAME_PATTERN, Post, Tag, TagPreference

TITLE_LENGTH = (15, 150)
BODY_LENGTH = (30, 30000)
COMMENT_LENGTH = (15, 600)
MAX_TAGS = 5

_tag_name = re.compile(TAG_NAME_PATTERN)


def _length_check(value, bounds, *, what):
    low, high = bounds
    if len(value) < low:
        raise forms.ValidationError(
            _("%(what)s must be at least %(low)s characters; you entered %(count)s.")
            % {"what": what, "low": low, "count": len(value)}
        )
    if len(value) > high:
        raise forms.ValidationError(
            _("%(what)s can be at most %(high)s characters; you entered %(count)s.")
            % {"what": what, "high": high, "count": len(value)}
        )
    return value


def _new_user_link_check(body, user):
    """Below a little reputation, posts may hold only a few links and no images: the
    commonest shape of spam."""
    if not privileges.new_user_limited(user, "links"):
        return
    html = render_post(body)
    if "<img" in html:
        raise forms.ValidationError(
            _("You need %(reputation)s reputation to post images.")
            % {"reputation": privileges.threshold("links")}
        )
    links = html.count("<a ")
    if links > privileges.NEW_USER_MAX_LINKS:
        raise forms.ValidationError(
            ngettext(
                "You can post at most %(max)s link until you have %(reputation)s reputation.",
                "You can post at most %(max)s links until you have %(reputation)s reputation.",
                privileges.NEW_USER_MAX_LINKS,
            )
            % {"max": privileges.NEW_USER_MAX_LINKS, "reputation": privileges.threshold("links")}
        )


class TextField(forms.CharField):
    """Text as people type it, minus what must never be stored: control characters and
    null bytes are removed before anything else looks at the value."""

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_text(value)
        return super().to_python(value)


class UserForm(forms.Form):
    """A form whose rules depend on who fills it in."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class SubmissionForm(UserForm):
    """A form that creates something: carries a token so a resent form creates it once."""

    # A callable initial value: every new form gets its own token, also when a template
    # shows one form per post.
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    # True when the form shows text kept from a request that could not be completed.
    restored = False


class BodyMixin:
    def clean_body(self):
        body = self.cleaned_data["body"]
        _length_check(body.strip(), BODY_LENGTH, what=_("Body"))
        _new_user_link_check(body, self.user)
        return body


def _body_field():
    return TextField(
        label=_("Body"),
        # editor.js previews the body as it is typed, asking this address.
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "data-preview": "post",
                "data-preview-url": reverse_lazy("questions:preview"),
            }
        ),
        strip=False,
        max_length=BODY_LENGTH[1] + 1000,
    )


class TagsField(TextField):
    def to_python(self, value):
        value = super().to_python(value) or ""
        names = []
        for name in value.replace(",", " ").lower().split():
            if name not in names:
                names.append(name)
        return names

    def validate(self, names):
        if not names:
            raise forms.ValidationError(_("Add at least one tag."), code="required")
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(max)s tags; you entered %(count)s.")
                % {"max": MAX_TAGS, "count": len(names)}
            )
        invalid = [name for name in names if not _tag_name.match(name)]
        if invalid:
            raise forms.ValidationError(
                _(
                    "Tags may use only letters a–z, digits and + # . - and be 1 to 35 characters "
                    "long: %(tags)s"
                )
                % {"tags": ", ".join(invalid)}
            )


class QuestionFields(BodyMixin, forms.Form):
    title = TextField(label=_("Title"), max_length=TITLE_LENGTH[1] + 100)
    body = _body_field()
    tags = TagsField(
        label=_("Tags"),
        help_text=_("1 to 5 tags, separated by spaces, e.g. moderation markdown"),
        # editor.js suggests existing tags from this address.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "data-tag-autocomplete": reverse_lazy("questions:tag_autocomplete"),
            }
        ),
    )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        return _length_check(title, TITLE_LENGTH, what=_("Title"))

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        new = sorted(
            set(names) - set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        )
        if new and (reason := permissions.create_tags_denial(self.user)):
            raise forms.ValidationError(f"{reason} ({', '.join(new)})")
        return names


class QuestionForm(QuestionFields, SubmissionForm):
    def clean(self):
        cleaned = super().clean()
        user = self.user
        if privileges.new_user_limited(user, "question_interval"):
            minutes = privileges.NEW_USER_QUESTION_INTERVAL_MINUTES
            since = timezone.now() - timedelta(minutes=minutes)
            recent = Post.objects.questions().filter(author=user, created_at__gte=since)
            token = cleaned.get("submission_token")
            if token:
                recent = recent.exclude(submission_token=token)
            if recent.exists():
                raise forms.ValidationError(
                    _(
                        "You can ask one question every %(minutes)s minutes until you have "
                        "%(reputation)s reputation. Your text is kept below; "
                        "please try again later."
                    )
                    % {"minutes": minutes, "reputation": privileges.threshold("question_interval")}
                )
        return cleaned


class AnswerForm(BodyMixin, SubmissionForm):
    body = _body_field()


def _comment_body_field():
    return TextField(
        label=_("Comment"),
        help_text=_(
            "15 to 600 characters. **bold**, *italic*, `code` and [links](https://…) work; "
            "images show as links to them."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_LENGTH[1] + 100,
    )


class CommentBodyMixin:
    def clean_body(self):
        body = " ".join(self.cleaned_data["body"].split())
        return _length_check(body, COMMENT_LENGTH, what=_("Comment"))


class CommentForm(CommentBodyMixin, SubmissionForm):
    body = _comment_body_field()


class CommentEditForm(CommentBodyMixin, forms.Form):
    """A comment's new text, which its author may give for a few minutes after posting it."""

    body = _comment_body_field()


def _summary_field():
    return TextField(label=_("Edit summary"), max_length=300, required=False)


class QuestionEditForm(QuestionFields, UserForm):
    summary = _summary_field()


class AnswerEditForm(BodyMixin, UserForm):
    body = _body_field()
    summary = _summary_field()


# Text typed into a form that could not be posted stays in the session until the form is
# shown again, so that nothing typed is lost: when the session had expired (the visitor
# logs in and comes back), or when a comment had errors (the thread page is shown again).
_KEPT_FORMS = "kept_forms"
KEPT_LOGGED_OUT = "logged-out"
KEPT_INVALID = "invalid"
# Generous for any field of these forms; it only bounds what a session may be made to hold.
_KEPT_LENGTH = BODY_LENGTH[1] + 1000

ASK_FORM = "ask"


def answer_form_key(question):
    return f"answer-{question.pk}"


def comment_form_key(post):
    return f"comment-{post.pk}"


def form_keep(request, *, key, form_class, reason):
    """Keeps the posted fields of `form_class` under `key` for `form_restore`."""
    kept = request.session.get(_KEPT_FORMS, {})
    kept[key] = {
        "reason": reason,
        "data": {
            name: request.POST.get(name, "")[:_KEPT_LENGTH] for name in form_class.base_fields
        },
    }
    request.session[_KEPT_FORMS] = kept


def form_kept(request, *, key):
    """Whether `form_restore` would give the form `key` back as it was left."""
    return key in request.session.get(_KEPT_FORMS, {})


def form_restore(request, *, key, form_class, user, **kwargs):
    """The form `key` as it was left (once), or a new one.

    A form kept for its errors comes back bound, showing them; text kept over a log-in
    comes back as initial values, marked `restored`, since nothing was wrong with it yet.
    """
    kept = request.session.get(_KEPT_FORMS, {})
    entry = kept.pop(key, None)
    if entry is None:
        return form_class(user=user, **kwargs)
    request.session[_KEPT_FORMS] = kept
    if entry["reason"] == KEPT_INVALID:
        return form_class(entry["data"], user=user, **kwargs)
    form = form_class(
        initial={name: value for name, value in entry["data"].items() if value}, user=user, **kwargs
    )
    form.restored = True
    return form


# The token of the last form that was posted: the next page tells the browser, which then
# forgets its draft of that form. (Clearing the draft on submit would lose it whenever
# the form comes back with an error.)
_POSTED = "posted_submission"


def submission_posted(request, form):
    token = form.cleaned_data.get("submission_token")
    if token:
        request.session[_POSTED] = str(token)


def posted_submission_pop(request):
    if _POSTED not in request.session:
        return ""
    return request.session.pop(_POSTED)


TAG_DESCRIPTION_LENGTH = 500


class TagDescriptionForm(forms.Form):
    description = TextField(
        label=_("Description"),
        help_text=_("Plain text, up to 500 characters: what the tag is for, and when to use it."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TAG_DESCRIPTION_LENGTH}),
        max_length=TAG_DESCRIPTION_LENGTH,
        required=False,
    )

    wiki = TextField(
        label=_("Wiki"),
        help_text=_(
            "Markdown, shown on the tag's info page: a longer explanation, with examples and links."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        max_length=BODY_LENGTH[1],
        required=False,
    )
    summary = TextField(label=_("Edit summary"), max_length=300, required=False)

    def clean_description(self):
        # Shown as one paragraph: line breaks would be lost anyway.
        return " ".join(self.cleaned_data["description"].split())

    def clean_wiki(self):
        return self.cleaned_data["wiki"].strip()


# A member's watched tags, and their ignored ones, each: enough for anyone, and a bound on
# what each list page asks of the database for them.
MAX_TAG_PREFERENCES = 100


class TagNamesField(TagsField):
    """Names of existing tags, separated by spaces or commas; cleans to the Tag objects."""

    def validate(self, names):
        if len(names) > MAX_TAG_PREFERENCES:
            raise forms.ValidationError(
                _("Choose at most %(max)s tags here; you entered %(count)s.")
                % {"max": MAX_TAG_PREFERENCES, "count": len(names)}
            )

    def clean(self, value):
        names = super().clean(value)
        tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in tags]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "There is no tag named %(tags)s: only existing tags can be watched or ignored.",
                    "There are no tags named %(tags)s: only existing tags can be watched or "
                    "ignored.",
                    len(unknown),
                )
                % {"tags": ", ".join(unknown)}
            )
        return [tags[name] for name in names]


def _tag_names_widget():
    # editor.js suggests existing tags from this address, as on the ask page.
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "data-tag-autocomplete": reverse_lazy("questions:tag_autocomplete"),
        }
    )


class TagPreferencesForm(forms.Form):
    HIDE = "hide"
    FADE = "fade"

    watched = TagNamesField(
        label=_("Watched tags"),
        required=False,
        help_text=_(
            "Questions in these tags stand out in the lists, and the list can show only "
            "them. Tag names separated by spaces."
        ),
        widget=_tag_names_widget(),
    )
    ignored = TagNamesField(
        label=_("Ignored tags"),
        required=False,
        help_text=_("Questions in these tags are faded or hidden. Tag names separated by spaces."),
        widget=_tag_names_widget(),
    )
    ignored_display = forms.ChoiceField(
        label=_("Questions in ignored tags"),
        choices=[
            (FADE, _("Fade them: they stay in the lists, paler")),
            (HIDE, _("Hide them: they are left out of the lists")),
        ],
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, *, user, names):
        """The form's initial values for `user`, whose tags by preference are `names`
        (selectors.tag_preference_names)."""
        return {
            "watched": " ".join(names[TagPreference.Kind.WATCHED]),
            "ignored": " ".join(names[TagPreference.Kind.IGNORED]),
            "ignored_display": cls.HIDE if user.hide_ignored_tags else cls.FADE,
        }

    def clean(self):
        cleaned = super().clean()
        both = {tag.name for tag in cleaned.get("watched", [])} & {
            tag.name for tag in cleaned.get("ignored", [])
        }
        if both:
            self.add_error(
                "ignored",
                _("A tag is either watched or ignored, not both: %(tags)s")
                % {"tags": ", ".join(sorted(both))},
            )
        return cleaned

    @property
    def hide_ignored(self):
        return self.cleaned_data["ignored_display"] == self.HIDE
