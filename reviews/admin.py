"""The review queues in the moderators' panel at /moderation/: the queues' statistics, and
the review bans, which moderators add (with a reason the member reads) and lift, through
the services of reviews.bans, which write the audit log."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.roles import is_moderator
from moderation.admin.people import TimedBanAdmin, UsernameField
from moderation.admin.site import (
    DefaultFilter,
    ModeratorAdmin,
    each_action,
    moderator_site,
    user_link,
)
from reviews import bans, statistics
from reviews.models import ReviewBan, ReviewTask
from reviews.permissions import active_review_ban

# The panel's menu lists the models it names; the review queues come after the suspensions.
moderator_site.menu = [
    *moderator_site.menu,
    (ReviewTask, _("Review queues")),
    (ReviewBan, _("Review bans")),
]


# Statistics


@admin.register(ReviewTask, site=moderator_site)
class ReviewQueuesAdmin(ModeratorAdmin):
    """Its list is the queues' statistics: the tasks themselves are the reviewers' work."""

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review queues"),
            "opts": self.model._meta,
            "queues": statistics.queue_statistics(),
            "now": timezone.now(),
            "top_reviewers": statistics.TOP_REVIEWERS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/reviews/queue_statistics.html", context)


# Review bans


class ReviewBanForm(forms.ModelForm):
    user = UsernameField(label=_("username"))
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=365)

    class Meta:
        model = ReviewBan
        fields = ["user", "days", "reason"]
        help_texts = {"reason": _("The member reads it in a message, and on the review page.")}

    def __init__(self, *args, moderator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.moderator = moderator

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user == self.moderator:
            raise forms.ValidationError(_("You cannot ban yourself from reviewing."))
        if is_moderator(user):
            raise forms.ValidationError(
                _("Moderators and community managers cannot be banned from reviewing.")
            )
        if active_review_ban(user):
            raise forms.ValidationError(
                _("This member is banned from reviewing already; lift that ban first.")
            )
        return user

    def clean(self):
        data = super().clean()
        # The service sets the real times; these only satisfy the model's own validation.
        self.instance.created_at = timezone.now()
        self.instance.until = self.instance.created_at + timedelta(days=data.get("days") or 1)
        return data


class ReviewBanStateFilter(DefaultFilter):
    """The list opens on the bans that hold now."""

    title = _("state")
    parameter_name = "state"
    default = "active"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("over", _("ended or lifted")), ("all", _("all"))]

    def queryset(self, request, queryset):
        active = Q(lifted_at__isnull=True, until__gt=timezone.now())
        return {
            "active": queryset.filter(active),
            "over": queryset.exclude(active),
        }.get(self.value(), queryset)


@admin.register(ReviewBan, site=moderator_site)
class ReviewBanAdmin(TimedBanAdmin):
    list_display = [
        "member",
        "reason_excerpt",
        "banned_by",
        "created_at",
        "until",
        "lifted_at",
        "lifted_by",
    ]
    # The member's cell links to their profile: the ban's own page opens from its reason
    # (a link inside Django's link to the row left that one empty).
    list_display_links = ["reason_excerpt"]
    list_filter = [ReviewBanStateFilter]
    list_select_related = ["user", "created_by", "lifted_by"]
    search_fields = ["user__username", "user__display_name"]
    actions = ["lift"]

    add_form = ReviewBanForm
    detail_fields = [
        "user",
        "reason",
        "created_by",
        "created_at",
        "until",
        "lifted_at",
        "lifted_by",
    ]
    made_fields = ["created_at", "until"]

    def make(self, *, moderator, user, days, reason):
        return bans.review_ban(user=user, moderator=moderator, days=days, reason=reason)

    @admin.display(description=_("member"), ordering="user__username")
    def member(self, ban):
        return user_link(ban.user)

    @admin.display(description=_("banned by"))
    def banned_by(self, ban):
        return user_link(ban.created_by, _("the review audits"))

    @admin.display(description=_("reason"))
    def reason_excerpt(self, ban):
        return Truncator(ban.reason).chars(80)

    lift = each_action(
        bans.review_ban_lift,
        "ban",
        "moderator",
        description=_("Lift the review bans now"),
        permission="moderate",
        done=ngettext_lazy(
            "%(count)d review ban lifted.", "%(count)d review bans lifted.", "count"
        ),
    )
