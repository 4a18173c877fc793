"""The moderators' admin site at /moderation/, apart from the staff /admin/, and what the
admins of both sites share: the role-gated bases and the helpers of their pages."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_community_manager, is_moderator
from moderation.models import (
    CloseVote,
    Escalation,
    Flag,
    ModeratorAction,
    ModeratorMessage,
    Suspension,
)
from moderation.selectors import pending_work
from questions.admin import ReadOnlyAdmin
from questions.models import Post


class ModeratorLoginForm(AdminAuthenticationForm):
    """Django's admin login lets in staff only; this panel is for moderators too."""

    def confirm_login_allowed(self, user):
        if not (user.is_active and is_moderator(user)):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class ModeratorSite(admin.AdminSite):
    site_header = _("Stapel moderation")
    site_title = _("Stapel moderation")
    index_title = _("Dashboard")
    index_template = "admin/moderation/dashboard.html"
    login_form = ModeratorLoginForm
    # The panel's sections are tabs in its header (admin/base_site.html): Django's sidebar
    # took a fifth of the width that the flag queue's columns need.
    enable_nav_sidebar = False
    # Which models the panel shows, in this order, and under which names.
    menu = [
        (Post, _("Flag queue")),
        (Flag, _("All flags (and comment flags)")),
        (Escalation, _("My escalations")),
        (Suspension, None),
        (ModeratorMessage, None),
        (CloseVote, None),
        (ModeratorAction, _("Audit log")),
    ]

    def has_permission(self, request):
        return request.user.is_active and is_moderator(request.user)

    def each_context(self, request):
        """Django's context, and what the panel's header shows: that this is the panel
        (the site's look), and the pending flags on the flag queue's tab (cached)."""
        return {
            **super().each_context(request),
            "stapel_panel": True,
            "moderation_pending": SimpleLazyObject(lambda: pending_work(user=request.user)),
        }

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
            my_open_escalations=Count(
                "pk", filter=Q(status__in=unresolved, raised_by=request.user)
            ),
        )
        counts["active_suspensions"] = Suspension.objects.filter(
            lifted_at__isnull=True, ends_at__gt=timezone.now()
        ).count()
        return super().index(request, {**counts, **(extra_context or {})})


moderator_site = ModeratorSite(name="moderation_admin")
moderator_site.disable_action("delete_selected")


class RoleAdmin(ReadOnlyAdmin):
    """Viewable by the holders of one role (`role`, a check on the user), and changed only
    through actions and the services behind them, unless a subclass opens a door. Django's
    per-model permissions play no part: moderators hold none."""

    list_per_page = 50
    role = staticmethod(is_moderator)

    def has_module_permission(self, request):
        return self.role(request.user)

    def has_view_permission(self, request, obj=None):
        return self.role(request.user)


class ModeratorAdmin(RoleAdmin):
    """For moderators (community managers are moderators too)."""

    def changelist_view(self, request, extra_context=None):
        """A list is titled by its name in the panel's menu ("Audit log"), not by Django's
        "Select audit log entry to view"; a subclass's own title comes first."""
        name = dict(getattr(self.admin_site, "menu", [])).get(self.model)
        title = capfirst(name or self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def has_moderate_permission(self, request):
        """For actions: `permissions=["moderate"]`."""
        return self.role(request.user)


class StaffAdmin(RoleAdmin):
    """For community managers (staff)."""

    role = staticmethod(is_community_manager)

    def has_manage_permission(self, request):
        """For actions: `permissions=["manage"]`."""
        return self.role(request.user)


class DefaultFilter(admin.SimpleListFilter):
    """A filter that opens on its choice `default`, without Django's "All" above its own."""

    default = None

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


def each_action(service, target, actor, *, description, permission, done):
    """An action that calls `service` on each selected object, passed as the keyword `target`,
    with the user as the keyword `actor`. The services return whether they changed anything,
    and the message says how many did: `done` is an ngettext_lazy counted by "count"."""

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin, request, queryset):
        count = sum(service(**{target: obj, actor: request.user}) for obj in queryset)
        modeladmin.message_user(request, done % {"count": count})

    return action


def user_link(user, name=""):
    if user is None:
        return name or "–"
    return format_html('<a href="{}">{}</a>', user.get_absolute_url(), user.name)


def post_title(post):
    if post.is_question:
        return post.title
    return _("Answer to “%(title)s”") % {"title": post.parent.title}


def moment(value):
    """A time in a list: how long ago, short enough for a narrow column, with the date and
    time in full on hover and for machines."""
    if value is None:
        return "–"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        date_format(timezone.localtime(value), "DATETIME_FORMAT"),
        naturaltime(value),
    )


def selected_ids(queryset):
    return list(queryset.values_list("pk", flat=True))


def intermediate_page(modeladmin, request, queryset, *, form_class, title, button, intro, items):
    """An action's second step: a form about the selected objects, posted back to the
    changelist with the same action; returns the valid form, or the page to show."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        return form
    opts = modeladmin.model._meta
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
        "opts": opts,
        "queue_title": getattr(modeladmin, "queue_title", opts.verbose_name_plural),
        "changelist_url": request.get_full_path(),
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/moderation/action_form.html", context)
