"""Escalations and the records. In the staff /admin/: the escalation queue, worked by the
community managers (is_staff, usually not superusers, and without per-model permissions),
read-only lists of flags, suspensions, messages and close votes, the audit log, and the
staff dashboard. In the moderators' panel: the escalations a moderator raised, with their
outcome, the close votes and the audit log. Changes go through moderation.services, so
every one of them is in the audit log."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from accounts.roles import ROLE_NAMES
from moderation import services
from moderation.admin.site import (
    DefaultFilter,
    ModeratorAdmin,
    StaffAdmin,
    each_action,
    intermediate_page,
    moderator_site,
    post_title,
    user_link,
)
from moderation.models import (
    CloseVote,
    Escalation,
    Flag,
    ModeratorAction,
    ModeratorMessage,
    Suspension,
)

# Escalations


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you decided and did. The moderator who escalated (or the user who appealed) "
            "reads it."
        ),
    )
    flags = forms.TypedChoiceField(
        label=_("The escalated flags were"),
        choices=[(True, _("right: mark them helpful")), (False, _("unfounded: decline them"))],
        coerce=lambda value: value == "True",
        initial=True,
        widget=forms.RadioSelect,
        help_text=_(
            "For escalations raised from flags. The flaggers see the outcome, with your "
            "resolution as its reason."
        ),
    )


class UnresolvedFilter(DefaultFilter):
    """The queue opens on what is still to do."""

    title = _("status")
    parameter_name = "queue"
    default = "todo"

    def lookups(self, request, model_admin):
        return [
            ("todo", _("to do")),
            ("mine", _("assigned to me")),
            ("unassigned", _("not assigned")),
            ("resolved", _("resolved")),
            ("all", _("all")),
        ]

    def queryset(self, request, queryset):
        unresolved = ~Q(status=Escalation.Status.RESOLVED)
        return {
            "todo": queryset.filter(unresolved),
            "mine": queryset.filter(unresolved, assignee=request.user),
            "unassigned": queryset.filter(status=Escalation.Status.OPEN),
            "resolved": queryset.filter(status=Escalation.Status.RESOLVED),
        }.get(self.value(), queryset)


class EscalationColumns:
    """The columns the queue and a moderator's own escalations share."""

    @admin.display(description=_("about"))
    def subject(self, escalation):
        if escalation.post_id:
            return format_html(
                '<a href="{}">{}</a>',
                escalation.post.get_absolute_url(),
                post_title(escalation.post),
            )
        return user_link(escalation.subject_user)

    @admin.display(description=_("note"))
    def note_excerpt(self, escalation):
        return Truncator(escalation.note).chars(120)


@admin.register(Escalation)
class EscalationAdmin(EscalationColumns, StaffAdmin):
    list_display = [
        "__str__",
        "kind",
        "subject",
        "note_excerpt",
        "raised_by",
        "status",
        "assignee",
        "created_at",
    ]
    list_filter = [UnresolvedFilter, "kind"]
    list_select_related = [
        "post__parent",
        "subject_user",
        "raised_by",
        "assignee",
        # A comment on an answer links to the answer's place in its question's thread.
        "flag__comment__post__parent",
    ]
    search_fields = ["note", "resolution", "raised_by__username", "subject_user__username"]
    ordering = ["created_at", "id"]
    actions = ["assign_to_me", "resolve"]
    fields = [
        "kind",
        "status",
        "raised_by",
        "created_at",
        "note",
        "subject",
        "flag_details",
        "post_body",
        "assignee",
        "resolution",
        "resolved_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("about"))
    def subject(self, escalation):
        if not escalation.post_id and escalation.flag_id and escalation.flag.comment_id:
            comment = escalation.flag.comment
            return format_html(
                '{} <a href="{}">{}</a>',
                Truncator(comment.body_markdown).chars(80),
                comment.post.get_absolute_url(),
                _("(comment)"),
            )
        return super().subject(escalation)

    @admin.display(description=_("flag"))
    def flag_details(self, escalation):
        flag = escalation.flag
        if flag is None:
            return "–"
        return format_html(
            "{} · {} · {}", flag.get_reason_display(), user_link(flag.reporter), flag.text or "–"
        )

    @admin.display(description=_("post"))
    def post_body(self, escalation):
        if escalation.post is None:
            return "–"
        # Stored HTML, sanitised by nh3 when the post was saved.
        return mark_safe(escalation.post.body_html)  # noqa: S308

    assign_to_me = each_action(
        services.escalation_assign,
        "escalation",
        "manager",
        description=_("Assign to me"),
        permission="manage",
        done=ngettext_lazy(
            "%(count)d escalation assigned to you.",
            "%(count)d escalations assigned to you.",
            "count",
        ),
    )

    @admin.action(description=_("Resolve…"), permissions=["manage"])
    def resolve(self, request, queryset):
        form = intermediate_page(
            self,
            request,
            queryset,
            form_class=ResolveForm,
            title=_("Resolve escalations"),
            intro=_(
                "The resolution is recorded in the audit log and shown to whoever raised the "
                "escalation."
            ),
            button=_("Resolve"),
            items=[
                (f"{escalation} – {Truncator(escalation.note).chars(80)}", None)
                for escalation in queryset
            ],
        )
        if not isinstance(form, forms.Form):
            return form
        count = sum(
            services.escalation_resolve(
                escalation=escalation,
                manager=request.user,
                resolution=form.cleaned_data["resolution"],
                flags_helpful=form.cleaned_data["flags"],
            )
            for escalation in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d escalation resolved.", "%(count)d escalations resolved.", count)
            % {"count": count},
        )
        return None


@admin.register(Escalation, site=moderator_site)
class MyEscalationAdmin(EscalationColumns, ModeratorAdmin):
    list_display = [
        "created_at",
        "kind",
        "subject",
        "note_excerpt",
        "status",
        "assignee",
        "resolution",
        "resolved_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["post__parent", "subject_user", "assignee"]
    fields = [
        "kind",
        "subject",
        "note",
        "status",
        "assignee",
        "resolution",
        "resolved_at",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(raised_by=request.user)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": _("My escalations"), **(extra_context or {})}
        )


# Read-only records


@admin.register(Flag)
class StaffFlagAdmin(StaffAdmin):
    list_display = [
        "created_at",
        "reason",
        "post",
        "comment",
        "reporter",
        "status",
        "handler",
        "handled_at",
    ]
    list_filter = ["status", "reason"]
    list_select_related = ["post", "comment", "reporter", "handler"]
    raw_id_fields = ["post", "comment", "reporter", "handler"]


@admin.register(Suspension)
class StaffSuspensionAdmin(StaffAdmin):
    list_display = ["user", "moderator", "starts_at", "ends_at", "lifted_at", "lifted_by"]
    list_select_related = ["user", "moderator", "lifted_by"]
    search_fields = ["user__username", "user__display_name"]


@admin.register(ModeratorMessage)
class StaffMessageAdmin(StaffAdmin):
    list_display = ["created_at", "recipient", "sender", "subject", "read_at"]
    list_select_related = ["recipient", "sender"]
    search_fields = ["recipient__username", "subject"]


@admin.register(CloseVote)
class StaffCloseVoteAdmin(StaffAdmin):
    list_display = ["created_at", "question", "user", "kind", "reason", "spent_at"]
    list_filter = ["kind", "reason"]
    list_select_related = ["question", "user"]


@admin.register(CloseVote, site=moderator_site)
class CloseVoteAdmin(ModeratorAdmin):
    list_display = ["created_at", "question", "user", "kind", "reason", "duplicate_of", "spent_at"]
    list_filter = ["kind", "reason"]
    list_select_related = ["question", "user", "duplicate_of"]
    # Shown, not a form: a form's choice of questions would be ordered as the flag queue
    # orders posts, by a column only its own list annotates (the page answered 500).
    fields = ["created_at", "question", "user", "kind", "reason", "duplicate_of", "spent_at"]
    readonly_fields = fields


@admin.register(ModeratorAction, site=moderator_site)
class AuditLogAdmin(ModeratorAdmin):
    """The audit log, read-only for everyone: no add, change or delete, superusers included."""

    list_display = ["created_at", "actor_label", "verb", "target_label", "reason_text"]
    list_filter = ["verb", "created_at"]
    search_fields = ["actor_name", "target_label", "reason"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor_label", "verb", "target_label", "reason_text"]
    readonly_fields = fields

    @admin.display(description=_("actor"))
    def actor_label(self, action):
        return action.actor_name or _("System")

    @admin.display(description=_("reason"))
    def reason_text(self, action):
        """The reason as recorded; a role change without one recorded the role's code,
        shown by its name."""
        if action.verb == ModeratorAction.Verb.ROLE_CHANGED and action.reason in ROLE_NAMES:
            return _("role: %(role)s") % {"role": ROLE_NAMES[action.reason]}
        return action.reason


@admin.register(ModeratorAction)
class StaffAuditLogAdmin(StaffAdmin, AuditLogAdmin):
    pass


# The staff dashboard: Django's own admin index with what waits for the community managers
# on top. The default site is Django's, so its index gains the counts by wrapping rather
# than by replacing the site (which would mean a settings change for every installation).
admin.site.index_template = "admin/staff_dashboard.html"
_django_index = admin.site.index


def staff_dashboard(request, extra_context=None):
    counts = Escalation.objects.aggregate(
        open_escalations=Count("pk", filter=Q(status=Escalation.Status.OPEN)),
        assigned_escalations=Count("pk", filter=Q(status=Escalation.Status.ASSIGNED)),
        my_escalations=Count(
            "pk", filter=Q(status=Escalation.Status.ASSIGNED, assignee=request.user.pk)
        ),
    )
    counts["pending_flags"] = Flag.objects.filter(status=Flag.Status.PENDING).count()
    return _django_index(request, {**counts, **(extra_context or {})})


admin.site.index = staff_dashboard
