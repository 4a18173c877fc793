"""The moderators' flag queue: flagged posts one row each, every flag on its own row (where
comment flags are handled), and the actions on them: mark helpful, decline, delete or lock
the posts, escalate to the community managers."""

from collections import Counter
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import is_moderator
from moderation import services
from moderation.admin.site import (
    DefaultFilter,
    ModeratorAdmin,
    intermediate_page,
    moderator_site,
    moment,
    post_title,
    selected_ids,
    user_link,
)
from moderation.models import Flag
from questions.models import Post

DECLINE_REASONS = [
    (
        "no_evidence",
        _("A moderator reviewed your flag, but found no evidence to support it."),
    ),
    (
        "not_for_disagreement",
        _("Flags should not be used to indicate technical inaccuracies or a wrong answer."),
    ),
    (
        "use_standard_flags",
        _("Using the standard flags helps us to prioritise problems and resolve them faster."),
    ),
    ("edit_or_comment", _("Please edit the post or leave a comment instead.")),
]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason the flaggers will see"),
        choices=[*DECLINE_REASONS, ("other", _("Another reason, typed below"))],
        widget=forms.RadioSelect,
    )
    other = forms.CharField(
        label=_("Your own reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other":
            if not data.get("other", "").strip():
                self.add_error("other", _("Type the reason, or choose one from the list."))
            data["note"] = data.get("other", "").strip()
        elif data.get("reason"):
            data["note"] = str(dict(DECLINE_REASONS)[data["reason"]])
        return data


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the community managers"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what you did, and what you need from them."),
    )


QUEUE_STATUS = "status"


def queue_status(request):
    """Which flags the queue counts: pending ones unless the status filter says otherwise."""
    status = request.GET.get(QUEUE_STATUS, Flag.Status.PENDING)
    return status if status in Flag.Status.values else Flag.Status.PENDING


class FlagStatusFilter(DefaultFilter):
    title = _("status")
    parameter_name = QUEUE_STATUS
    default = Flag.Status.PENDING

    def lookups(self, request, model_admin):
        return Flag.Status.choices

    def queryset(self, request, queryset):
        # FlagQueueAdmin.get_queryset reads the status: the counts depend on it.
        return queryset


class FlagReasonFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return Flag.Reason.choices[:5]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        flags = Flag.objects.filter(status=queue_status(request), reason=self.value())
        return queryset.filter(pk__in=flags.values("post"))


class FlagAgeFilter(admin.SimpleListFilter):
    title = _("waiting")
    parameter_name = "age"
    ages = {"day": (None, 1), "week": (1, 7), "older": (7, None)}

    def lookups(self, request, model_admin):
        return [
            ("day", _("less than a day")),
            ("week", _("1 to 7 days")),
            ("older", _("more than a week")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.ages:
            return queryset
        at_least, less_than = self.ages[self.value()]
        now = timezone.now()
        if at_least is not None:
            queryset = queryset.filter(first_flagged_at__lte=now - timedelta(days=at_least))
        if less_than is not None:
            queryset = queryset.filter(first_flagged_at__gt=now - timedelta(days=less_than))
        return queryset


def escalate_page(modeladmin, request, queryset, *, intro, items):
    return intermediate_page(
        modeladmin,
        request,
        queryset,
        form_class=EscalateForm,
        title=_("Escalate to the community managers"),
        intro=intro,
        button=_("Escalate"),
        items=items,
    )


class FlagActions:
    """Marking helpful and declining, for the flag queue (selected posts) and the flag list
    (selected flags): `selected_flags` and `decline_items` say what was selected."""

    @admin.action(description=_("Mark the flags helpful"), permissions=["moderate"])
    def mark_helpful(self, request, queryset):
        count = services.flags_mark_helpful(
            flags=self.selected_flags(queryset), moderator=request.user
        )
        self.message_user(
            request,
            ngettext("%(count)d flag marked helpful.", "%(count)d flags marked helpful.", count)
            % {"count": count},
        )

    @admin.action(description=_("Decline the flags…"), permissions=["moderate"])
    def decline(self, request, queryset):
        form = intermediate_page(
            self,
            request,
            queryset,
            form_class=DeclineForm,
            title=_("Decline flags"),
            intro=_("The flaggers will see the reason you give."),
            button=_("Decline the flags"),
            items=self.decline_items(queryset),
        )
        if not isinstance(form, forms.Form):
            return form
        count = services.flags_decline(
            flags=self.selected_flags(queryset),
            moderator=request.user,
            note=form.cleaned_data["note"],
        )
        self.message_user(
            request,
            ngettext("%(count)d flag declined.", "%(count)d flags declined.", count)
            % {"count": count},
        )
        return None


class FlagInline(admin.TabularInline):
    model = Flag
    fk_name = "post"
    fields = ["created_at", "reporter", "reason", "text", "status", "handler", "handled_at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("all flags on this post")

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post, site=moderator_site)
class FlagQueueAdmin(FlagActions, ModeratorAdmin):
    """Posts with flags, one row each, with how many flags and which reasons; pending
    flags unless the status filter asks for others. Comment flags are in "Flags"."""

    list_display = [
        "post",
        "kind",
        "author",
        "flag_count_column",
        "reasons",
        "waiting_since",
        "last_flagged",
        "state",
    ]
    # The post cell holds a <details> with the body; the flag count links to the post's flags.
    list_display_links = ["flag_count_column"]
    list_filter = [FlagStatusFilter, FlagReasonFilter, FlagAgeFilter]
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["title", "parent__title", "author_name"]
    actions = ["mark_helpful", "decline", "delete_posts", "lock_posts", "escalate_posts"]
    fields = ["post", "kind", "author", "state", "body", "created_at"]
    readonly_fields = fields
    inlines = [FlagInline]
    queue_title = _("Flag queue")
    change_list_template = "admin/moderation/flag_queue/change_list.html"
    change_form_template = "admin/moderation/flag_queue/change_form.html"

    def get_queryset(self, request):
        status = queue_status(request)
        in_queue = Q(flags__status=status)
        flagged = Flag.objects.filter(status=status, post__isnull=False).values("post")
        return (
            Post.objects.filter(pk__in=flagged)
            .annotate(
                flag_count=Count("flags", filter=in_queue),
                first_flagged_at=Min("flags__created_at", filter=in_queue),
                last_flagged_at=Max("flags__created_at", filter=in_queue),
            )
            .select_related("parent", "author")
            .prefetch_related(
                Prefetch(
                    "flags",
                    queryset=Flag.objects.filter(status=status).order_by("created_at", "pk"),
                    to_attr="queued_flags",
                )
            )
        )

    def get_object(self, request, object_id, from_field=None):
        # A post's page shows all its flags, whatever the queue is filtered by.
        if not str(object_id).isdigit():
            return None
        return (
            Post.objects.filter(flags__isnull=False, pk=object_id)
            .select_related("parent", "author")
            .first()
        )

    def get_ordering(self, request):
        return ["-last_flagged_at", "-pk"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {"title": self.queue_title, "queue_title": self.queue_title, **(extra_context or {})},
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {"queue_title": self.queue_title, **(extra_context or {})}
        )

    @admin.display(description=_("post"))
    def post(self, post):
        return format_html(
            '<details><summary>{}</summary><div class="flagged-post">{}</div></details>'
            '<a href="{}">{}</a>',
            post_title(post),
            # Stored HTML, sanitised by nh3 when the post was saved.
            mark_safe(post.body_html),  # noqa: S308
            post.get_absolute_url(),
            _("open on the site"),
        )

    @admin.display(description=_("type"))
    def kind(self, post):
        return post.get_post_type_display()

    @admin.display(description=_("author"))
    def author(self, post):
        return user_link(post.author, post.author_name)

    @admin.display(description=_("flags"), ordering="flag_count")
    def flag_count_column(self, post):
        return post.flag_count

    @admin.display(description=_("reasons"))
    def reasons(self, post):
        counts = Counter(flag.get_reason_display() for flag in post.queued_flags)
        texts = [flag.text for flag in post.queued_flags if flag.text]
        return format_html(
            "<ul>{}{}</ul>",
            format_html_join(
                "", "<li>{} × {}</li>", ((count, reason) for reason, count in counts.items())
            ),
            format_html_join(
                "", "<li><q>{}</q></li>", ((Truncator(text).chars(200),) for text in texts)
            ),
        )

    @admin.display(description=_("waiting since"), ordering="first_flagged_at")
    def waiting_since(self, post):
        return moment(post.first_flagged_at)

    @admin.display(description=_("last flagged"), ordering="last_flagged_at")
    def last_flagged(self, post):
        return moment(post.last_flagged_at)

    @admin.display(description=_("state"))
    def state(self, post):
        states = [
            label
            for field, label in [
                ("deleted_at", _("deleted")),
                ("locked_at", _("locked")),
                ("closed_at", _("closed")),
                ("hidden_at", _("hidden")),
            ]
            if getattr(post, field)
        ]
        return ", ".join(str(state) for state in states) or _("visible")

    @admin.display(description=_("body"))
    def body(self, post):
        return mark_safe(post.body_html)  # noqa: S308 - sanitised when the post was saved

    # Actions. Each goes through moderation.services, which writes the audit log.

    def selected_flags(self, queryset):
        return Flag.objects.filter(post__in=selected_ids(queryset), status=Flag.Status.PENDING)

    def decline_items(self, queryset):
        return [(post_title(post), post.flag_count) for post in queryset]

    def _act_on_posts(self, request, queryset, verb, done_note):
        """Deletes or locks each selected post; its pending flags were right, so they are
        marked helpful (as Stack Exchange does when a moderator acts on a flagged post)."""
        changed = 0
        for post in queryset:
            reasons = ", ".join(
                sorted({str(flag.get_reason_display()) for flag in post.queued_flags})
            )
            changed += verb(post=post, moderator=request.user, reason=reasons)
        services.flags_mark_helpful(
            flags=self.selected_flags(queryset), moderator=request.user, note=done_note
        )
        return changed

    @admin.action(description=_("Delete the posts"), permissions=["moderate"])
    def delete_posts(self, request, queryset):
        count = self._act_on_posts(
            request, queryset, services.post_delete, _("The post was deleted.")
        )
        self.message_user(
            request,
            ngettext("%(count)d post deleted.", "%(count)d posts deleted.", count)
            % {"count": count},
        )

    @admin.action(description=_("Lock the posts"), permissions=["moderate"])
    def lock_posts(self, request, queryset):
        count = self._act_on_posts(request, queryset, services.post_lock, _("The post was locked."))
        self.message_user(
            request,
            ngettext("%(count)d post locked.", "%(count)d posts locked.", count) % {"count": count},
        )

    @admin.action(description=_("Escalate to the community managers…"), permissions=["moderate"])
    def escalate_posts(self, request, queryset):
        form = escalate_page(
            self,
            request,
            queryset,
            intro=_(
                "Each post becomes one escalation; its pending flags wait for the community "
                "managers' decision."
            ),
            items=[(post_title(post), post.flag_count) for post in queryset],
        )
        if not isinstance(form, forms.Form):
            return form
        posts = list(queryset)
        for post in posts:
            services.escalate(moderator=request.user, note=form.cleaned_data["note"], post=post)
        self.message_user(
            request,
            ngettext("%(count)d post escalated.", "%(count)d posts escalated.", len(posts))
            % {"count": len(posts)},
        )
        return None


@admin.register(Flag, site=moderator_site)
class FlagListAdmin(FlagActions, ModeratorAdmin):
    """Every flag on its own row: where comment flags are handled, and a flag's history."""

    list_display = [
        "created_at",
        "reason",
        "target",
        "text_excerpt",
        "reporter",
        "status",
        "handler",
        "note",
    ]
    list_filter = ["status", "reason"]
    list_select_related = ["post__parent", "comment__post__parent", "reporter", "handler"]
    search_fields = ["text", "note", "reporter__username"]
    actions = ["mark_helpful", "decline", "escalate_flags"]
    fields = [
        "created_at",
        "reason",
        "target",
        "text",
        "reporter",
        "status",
        "handler",
        "handled_at",
        "note",
    ]
    readonly_fields = fields

    def selected_flags(self, queryset):
        return Flag.objects.filter(pk__in=selected_ids(queryset))

    def decline_items(self, queryset):
        return [(str(flag), None) for flag in queryset]

    @admin.display(description=_("flagged"))
    def target(self, flag):
        if flag.post_id:
            return format_html(
                '<a href="{}">{}</a>', flag.post.get_absolute_url(), post_title(flag.post)
            )
        comment = flag.comment
        return format_html(
            '{} <a href="{}">{}</a>{}',
            Truncator(comment.body_markdown).chars(120),
            comment.post.get_absolute_url(),
            _("(comment)"),
            format_html(" <strong>{}</strong>", _("deleted")) if comment.deleted_at else "",
        )

    @admin.display(description=_("details"))
    def text_excerpt(self, flag):
        return Truncator(flag.text).chars(120)

    @admin.action(description=_("Escalate to the community managers…"), permissions=["moderate"])
    def escalate_flags(self, request, queryset):
        form = escalate_page(
            self,
            request,
            queryset,
            intro=_("Each pending flag becomes one escalation."),
            items=[(str(flag), None) for flag in queryset],
        )
        if not isinstance(form, forms.Form):
            return form
        flags = list(queryset.filter(status=Flag.Status.PENDING))
        for flag in flags:
            services.escalate(moderator=request.user, note=form.cleaned_data["note"], flag=flag)
        self.message_user(
            request,
            ngettext("%(count)d flag escalated.", "%(count)d flags escalated.", len(flags))
            % {"count": len(flags)},
        )
        return None
