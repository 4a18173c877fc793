"""The moderators' admin panel at /moderation/: an admin site of its own, apart from the
staff /admin/. Moderators hold no Django model permissions, so every ModelAdmin here says
itself who may do what; everything that changes data goes through moderation.services,
which writes the audit log."""

from collections import Counter
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation import services
from moderation.models import CloseVote, Escalation, Flag, ModeratorAction, ModeratorMessage, Suspension
from accounts.roles import is_moderator
from questions.models import Post

User = get_user_model()


class ModeratorLoginForm(AdminAuthenticationForm):
    """Django's admin login lets in staff only; this panel is for moderators too."""

    def confirm_login_allowed(self, user):
        if not (user.is_active and is_moderator(user)):
            raise forms.ValidationError(
                self.error_messages["invalid_login"], code="invalid_login", params={"username": self.username_field.verbose_name}
            )


class ModeratorSite(admin.AdminSite):
    site_header = _("Stapel moderation")
    site_title = _("Stapel moderation")
    index_title = _("Dashboard")
    index_template = "admin/moderation/dashboard.html"
    login_form = ModeratorLoginForm
    # Which models the panel shows, in this order, and under which names.
    menu = [
        (Post, _("Flag queue")),
        (Flag, _("All flags (and comment flags)")),
        (Escalation, _("My escalations")),
        (Suspension, None),
        (ModeratorMessage, None),
        (CloseVote, None),
        (ModeratorAction, None),
    ]

    def has_permission(self, request):
        return request.user.is_active and is_moderator(request.user)

    def get_app_list(self, request, app_label=None):
        """One section, "Moderation", in the order of the work rather than alphabetical."""
        models = {
            entry["model"]: entry
            for app in self._build_app_dict(request, app_label).values()
            for entry in app["models"]
        }
        entries = []
        for model, name in self.menu:
            if model in models:
                entry = models[model]
                if name:
                    entry["name"] = name
                entries.append(entry)
        if not entries:
            return []
        return [
            {
                "name": _("Moderation"),
                "app_label": "moderation",
                "app_url": reverse("moderation_admin:index", current_app=self.name),
                "has_module_perms": True,
                "models": entries,
            }
        ]

    def index(self, request, extra_context=None):
        unresolved = [Escalation.Status.OPEN, Escalation.Status.ASSIGNED]
        counts = Flag.objects.aggregate(
            pending_flags=Count("pk", filter=Q(status=Flag.Status.PENDING)),
            flagged_posts=Count("post", filter=Q(status=Flag.Status.PENDING), distinct=True),
        ) | Escalation.objects.aggregate(
            open_escalations=Count("pk", filter=Q(status__in=unresolved)),
            my_open_escalations=Count("pk", filter=Q(status__in=unresolved, raised_by=request.user)),
        )
        counts["active_suspensions"] = Suspension.objects.filter(
            lifted_at__isnull=True, ends_at__gt=timezone.now()
        ).count()
        return super().index(request, {**counts, **(extra_context or {})})


moderator_site = ModeratorSite(name="moderation_admin")
moderator_site.disable_action("delete_selected")


class RoleAdmin(admin.ModelAdmin):
    """Viewable by the holders of one role (`role`, a check on the user), and changed only
    through actions and the services behind them, unless a subclass opens a door. Django's
    per-model permissions play no part: moderators hold none."""

    list_per_page = 50
    role = staticmethod(is_moderator)

    def has_module_permission(self, request):
        return self.role(request.user)

    def has_view_permission(self, request, obj=None):
        return self.role(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModeratorAdmin(RoleAdmin):
    """For moderators (community managers are moderators too)."""

    def has_moderate_permission(self, request):
        """For actions: `permissions=["moderate"]`."""
        return self.role(request.user)


def user_link(user, name=""):
    if user is None:
        return name or "–"
    return format_html('<a href="{}">{}</a>', user.get_absolute_url(), user.name)


def post_title(post):
    if post.is_question:
        return post.title
    return _("Answer to “%(title)s”") % {"title": post.parent.title}


def selected_ids(queryset):
    return list(queryset.values_list("pk", flat=True))


def intermediate_page(modeladmin, request, queryset, *, form_class, title, button, intro, items):
    """An action's second step: a form about the selected objects, posted back to the
    changelist with the same action; returns the valid form, or the page to show."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        return form
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "button": button,
        "form": form,
        "items": items,
        "selected": selected_ids(queryset),
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
        "queue_title": getattr(modeladmin, "queue_title", modeladmin.model._meta.verbose_name_plural),
        "changelist_url": request.get_full_path(),
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/moderation/action_form.html", context)


# The flag queue


DECLINE_REASONS = [
    ("no_evidence", _("A moderator reviewed your flag, but found no evidence to support it.")),
    ("not_for_disagreement", _("Flags should not be used to indicate technical inaccuracies or a wrong answer.")),
    ("use_standard_flags", _("Using the standard flags helps us to prioritise problems and resolve them faster.")),
    ("edit_or_comment", _("Please edit the post or leave a comment instead.")),
]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason the flaggers will see"),
        choices=[*DECLINE_REASONS, ("other", _("Another reason, typed below"))],
        widget=forms.RadioSelect,
    )
    other = forms.CharField(label=_("Your own reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

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


class FlagStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = QUEUE_STATUS

    def lookups(self, request, model_admin):
        return Flag.Status.choices

    def value(self):
        return super().value() or Flag.Status.PENDING

    def choices(self, changelist):
        for status, label in self.lookup_choices:
            yield {
                "selected": self.value() == status,
                "query_string": changelist.get_query_string({self.parameter_name: status}),
                "display": label,
            }

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


class FlagActions:
    """Marking helpful and declining, for the flag queue (selected posts) and the flag list
    (selected flags): `selected_flags` and `decline_items` say what was selected."""

    @admin.action(description=_("Mark the flags helpful"), permissions=["moderate"])
    def mark_helpful(self, request, queryset):
        count = services.flags_mark_helpful(flags=self.selected_flags(queryset), moderator=request.user)
        self.message_user(
            request, ngettext("%(count)d flag marked helpful.", "%(count)d flags marked helpful.", count) % {"count": count}
        )

    @admin.action(description=_("Decline the flags…"), permissions=["moderate"])
    def decline(self, request, queryset):
        form = intermediate_page(
            self, request, queryset,
            form_class=DeclineForm,
            title=_("Decline flags"),
            intro=_("The flaggers will see the reason you give."),
            button=_("Decline the flags"),
            items=self.decline_items(queryset),
        )
        if not isinstance(form, forms.Form):
            return form
        count = services.flags_decline(
            flags=self.selected_flags(queryset), moderator=request.user, note=form.cleaned_data["note"]
        )
        self.message_user(
            request, ngettext("%(count)d flag declined.", "%(count)d flags declined.", count) % {"count": count}
        )
        return None


@admin.register(Post, site=moderator_site)
class FlagQueueAdmin(FlagActions, ModeratorAdmin):
    """Posts with flags, one row each, with how many flags and which reasons; pending
    flags unless the status filter asks for others. Comment flags are in "Flags"."""

    list_display = ["post", "kind", "author", "flag_count_column", "reasons", "waiting_since", "last_flagged", "state"]
    # The post cell holds a <details> with the body; the flag count links to the post's flags.
    list_display_links = ["flag_count_column"]
    list_filter = [FlagStatusFilter, FlagReasonFilter, FlagAgeFilter]
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["title", "parent__title", "author_name"]
    actions = ["mark_helpful", "decline", "delete_posts", "lock_posts", "escalate_posts"]
    fields = ["post", "kind", "author", "state", "body", "created_at"]
    readonly_fields = fields
    inlines = []  # set below, once FlagInline exists
    queue_title = _("Flag queue")
    change_list_template = "admin/moderation/flag_queue/change_list.html"
    change_form_template = "admin/moderation/flag_queue/change_form.html"

    def get_queryset(self, request):
        status = queue_status(request)
        in_queue = Q(flags__status=status)
        return (
            Post.objects.filter(pk__in=Flag.objects.filter(status=status, post__isnull=False).values("post"))
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
        return (
            Post.objects.filter(flags__isnull=False, pk=object_id).select_related("parent", "author").first()
            if str(object_id).isdigit()
            else None
        )

    def get_ordering(self, request):
        return ["-last_flagged_at", "-pk"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": self.queue_title, "queue_title": self.queue_title, **(extra_context or {})}
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
            format_html_join("", "<li>{} × {}</li>", ((count, reason) for reason, count in counts.items())),
            format_html_join("", "<li><q>{}</q></li>", ((Truncator(text).chars(200),) for text in texts)),
        )

    @admin.display(description=_("waiting since"), ordering="first_flagged_at")
    def waiting_since(self, post):
        return post.first_flagged_at

    @admin.display(description=_("last flagged"), ordering="last_flagged_at")
    def last_flagged(self, post):
        return post.last_flagged_at

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
            reasons = ", ".join(sorted({str(flag.get_reason_display()) for flag in post.queued_flags}))
            changed += verb(post=post, moderator=request.user, reason=reasons)
        services.flags_mark_helpful(flags=self.selected_flags(queryset), moderator=request.user, note=done_note)
        return changed

    @admin.action(description=_("Delete the posts"), permissions=["moderate"])
    def delete_posts(self, request, queryset):
        count = self._act_on_posts(request, queryset, services.post_delete, _("The post was deleted."))
        self.message_user(request, ngettext("%(count)d post deleted.", "%(count)d posts deleted.", count) % {"count": count})

    @admin.action(description=_("Lock the posts"), permissions=["moderate"])
    def lock_posts(self, request, queryset):
        count = self._act_on_posts(request, queryset, services.post_lock, _("The post was locked."))
        self.message_user(request, ngettext("%(count)d post locked.", "%(count)d posts locked.", count) % {"count": count})

    @admin.action(description=_("Escalate to the community managers…"), permissions=["moderate"])
    def escalate_posts(self, request, queryset):
        form = intermediate_page(
            self, request, queryset,
            form_class=EscalateForm,
            title=_("Escalate to the community managers"),
            intro=_("Each post becomes one escalation; its pending flags wait for the community managers' decision."),
            button=_("Escalate"),
            items=[(post_title(post), post.flag_count) for post in queryset],
        )
        if not isinstance(form, forms.Form):
            return form
        posts = list(queryset)
        for post in posts:
            services.escalate(moderator=request.user, note=form.cleaned_data["note"], post=post)
        self.message_user(
            request,
            ngettext("%(count)d post escalated.", "%(count)d posts escalated.", len(posts)) % {"count": len(posts)},
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


FlagQueueAdmin.inlines = [FlagInline]


@admin.register(Flag, site=moderator_site)
class FlagListAdmin(FlagActions, ModeratorAdmin):
    """Every flag on its own row: where comment flags are handled, and a flag's history."""

    list_display = ["created_at", "reason", "target", "text_excerpt", "reporter", "status", "handler", "note"]
    list_filter = ["status", "reason"]
    list_select_related = ["post__parent", "comment__post__parent", "reporter", "handler"]
    search_fields = ["text", "note", "reporter__username"]
    actions = ["mark_helpful", "decline", "escalate_flags"]

    def selected_flags(self, queryset):
        return Flag.objects.filter(pk__in=selected_ids(queryset))

    def decline_items(self, queryset):
        return [(str(flag), None) for flag in queryset]
    fields = ["created_at", "reason", "target", "text", "reporter", "status", "handler", "handled_at", "note"]
    readonly_fields = fields

    @admin.display(description=_("flagged"))
    def target(self, flag):
        if flag.post_id:
            return format_html('<a href="{}">{}</a>', flag.post.get_absolute_url(), post_title(flag.post))
        comment = flag.comment
        return format_html(
            '{} <a href="{}">{}</a>',
            Truncator(comment.body_markdown).chars(120), comment.post.get_absolute_url(), _("(comment)"),
        )

    @admin.display(description=_("details"))
    def text_excerpt(self, flag):
        return Truncator(flag.text).chars(120)

    @admin.action(description=_("Escalate to the community managers…"), permissions=["moderate"])
    def escalate_flags(self, request, queryset):
        form = intermediate_page(
            self, request, queryset,
            form_class=EscalateForm,
            title=_("Escalate to the community managers"),
            intro=_("Each pending flag becomes one escalation."),
            button=_("Escalate"),
            items=[(str(flag), None) for flag in queryset],
        )
        if not isinstance(form, forms.Form):
            return form
        flags = list(queryset.filter(status=Flag.Status.PENDING))
        for flag in flags:
            services.escalate(moderator=request.user, note=form.cleaned_data["note"], flag=flag)
        self.message_user(
            request, ngettext("%(count)d flag escalated.", "%(count)d flags escalated.", len(flags)) % {"count": len(flags)}
        )
        return None


# Escalations the moderator raised, with their outcome


@admin.register(Escalation, site=moderator_site)
class MyEscalationAdmin(ModeratorAdmin):
    list_display = ["created_at", "kind", "subject", "note_excerpt", "status", "assignee", "resolution", "resolved_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["post__parent", "subject_user", "assignee"]
    fields = ["kind", "subject", "note", "status", "assignee", "resolution", "resolved_at", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(raised_by=request.user)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("My escalations"), **(extra_context or {})})

    @admin.display(description=_("about"))
    def subject(self, escalation):
        if escalation.post_id:
            return format_html('<a href="{}">{}</a>', escalation.post.get_absolute_url(), post_title(escalation.post))
        return user_link(escalation.subject_user)

    @admin.display(description=_("note"))
    def note_excerpt(self, escalation):
        return Truncator(escalation.note).chars(120)


# Suspensions and messages: added through the services


class UsernameField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=User.objects.filter(is_active=True),
            to_field_name="username",
            widget=forms.TextInput,
            help_text=_("The user's username (shown in their profile's address bar as the user's id)."),
            **kwargs,
        )


class SuspensionForm(forms.ModelForm):
    user = UsernameField(label=_("username"))
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=365)

    class Meta:
        model = Suspension
        fields = ["user", "days", "reason"]

    def __init__(self, *args, moderator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.moderator = moderator

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user == self.moderator:
            raise forms.ValidationError(_("You cannot suspend yourself."))
        if user.is_moderator or user.is_staff:
            raise forms.ValidationError(_("Moderators and community managers cannot be suspended; escalate instead."))
        if user.suspended_until and user.suspended_until > timezone.now():
            raise forms.ValidationError(_("This user is suspended already; lift that suspension first."))
        return user

    def clean(self):
        data = super().clean()
        # The service sets the real times; these only satisfy the model's own validation.
        self.instance.starts_at = timezone.now()
        self.instance.ends_at = self.instance.starts_at + timedelta(days=data.get("days") or 1)
        return data


class SuspensionActiveFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("over", _("ended or lifted"))]

    def queryset(self, request, queryset):
        active = Q(lifted_at__isnull=True, ends_at__gt=timezone.now())
        if self.value() == "active":
            return queryset.filter(active)
        if self.value() == "over":
            return queryset.exclude(active)
        return queryset


@admin.register(Suspension, site=moderator_site)
class SuspensionAdmin(ModeratorAdmin):
    list_display = ["user", "moderator", "reason_excerpt", "starts_at", "ends_at", "lifted_at", "lifted_by"]
    list_filter = [SuspensionActiveFilter]
    list_select_related = ["user", "moderator", "lifted_by"]
    search_fields = ["user__username", "user__display_name"]
    actions = ["lift"]

    def has_add_permission(self, request):
        return is_moderator(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "days", "reason"]
        return ["user", "moderator", "reason", "starts_at", "ends_at", "lifted_at", "lifted_by"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            form = SuspensionForm

            class BoundSuspensionForm(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, moderator=request.user, **kw)

            return BoundSuspensionForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        suspension = services.user_suspend(
            user=form.cleaned_data["user"],
            moderator=request.user,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )
        obj.pk, obj.starts_at, obj.ends_at = suspension.pk, suspension.starts_at, suspension.ends_at

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description=_("reason"))
    def reason_excerpt(self, suspension):
        return Truncator(suspension.reason).chars(80)

    @admin.action(description=_("Lift the suspensions now"), permissions=["moderate"])
    def lift(self, request, queryset):
        count = sum(services.suspension_lift(suspension=s, moderator=request.user) for s in queryset)
        self.message_user(
            request,
            ngettext("%(count)d suspension lifted.", "%(count)d suspensions lifted.", count) % {"count": count},
        )


class MessageForm(forms.ModelForm):
    recipient = UsernameField(label=_("to (username)"))

    class Meta:
        model = ModeratorMessage
        fields = ["recipient", "subject", "body"]


@admin.register(ModeratorMessage, site=moderator_site)
class ModeratorMessageAdmin(ModeratorAdmin):
    list_display = ["created_at", "recipient", "sender", "subject", "read_at"]
    list_select_related = ["recipient", "sender"]
    search_fields = ["recipient__username", "recipient__display_name", "subject"]

    def has_add_permission(self, request):
        return is_moderator(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["recipient", "subject", "body"]
        return ["recipient", "sender", "subject", "body", "created_at", "read_at"]

    def get_form(self, request, obj=None, **kwargs):
        return MessageForm if obj is None else super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        message = services.message_send(
            recipient=form.cleaned_data["recipient"],
            sender=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        obj.pk = message.pk

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(CloseVote, site=moderator_site)
class CloseVoteAdmin(ModeratorAdmin):
    list_display = ["created_at", "question", "user", "kind", "reason", "duplicate_of", "spent_at"]
    list_filter = ["kind", "reason"]
    list_select_related = ["question", "user", "duplicate_of"]


class AuditLogAdmin(ModeratorAdmin):
    """The audit log, read-only for everyone: no add, change or delete, superusers included."""

    list_display = ["created_at", "actor_label", "verb", "target_label", "reason"]
    list_filter = ["verb", "created_at"]
    search_fields = ["actor_name", "target_label", "reason"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor_label", "verb", "target_label", "reason"]
    readonly_fields = fields

    @admin.display(description=_("actor"))
    def actor_label(self, action):
        return action.actor_name or _("System")


moderator_site.register(ModeratorAction, AuditLogAdmin)
