"""People: suspensions and moderator messages in the moderators' panel, written through
the add forms and the services behind them; and in the staff /admin/, the role actions on
users, with which community managers appoint and remove moderators and community managers."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.roles import is_community_manager, is_moderator, is_suspended
from moderation import services
from moderation.admin.site import ModeratorAdmin, each_action, moderator_site
from moderation.models import ModeratorMessage, Suspension

User = get_user_model()


class UsernameField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=User.objects.filter(is_active=True),
            to_field_name="username",
            widget=forms.TextInput,
            help_text=_(
                "The user's username (shown in their profile's address bar as the user's id)."
            ),
            **kwargs,
        )


# Suspensions


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
        if is_moderator(user):
            raise forms.ValidationError(
                _("Moderators and community managers cannot be suspended; escalate instead.")
            )
        if is_suspended(user):
            raise forms.ValidationError(
                _("This user is suspended already; lift that suspension first.")
            )
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


class TimedBanAdmin(ModeratorAdmin):
    """A ban for some days with a reason (a suspension, a review ban): moderators add one
    with a form of the member, the days and the reason, which a service turns into the
    row (audited), and lift them with an action; the row itself is never edited.

    Subclasses give `add_form` (a form that takes `moderator=`), `detail_fields` (what a
    saved row shows), `made_fields` (what the service fills in besides the id) and
    `make(moderator=, user=, days=, reason=)`, the service."""

    add_form = None
    detail_fields = []
    made_fields = []

    def has_add_permission(self, request):
        return self.role(request.user)

    def get_fields(self, request, obj=None):
        return ["user", "days", "reason"] if obj is None else self.detail_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        add_form = self.add_form

        class BoundForm(add_form):
            def __init__(self, *args, **kw):
                super().__init__(*args, moderator=request.user, **kw)

        return BoundForm

    def save_model(self, request, obj, form, change):
        made = self.make(
            moderator=request.user,
            user=form.cleaned_data["user"],
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )
        obj.pk = made.pk
        for field in self.made_fields:
            setattr(obj, field, getattr(made, field))

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(Suspension, site=moderator_site)
class SuspensionAdmin(TimedBanAdmin):
    list_display = [
        "user",
        "moderator",
        "reason_excerpt",
        "starts_at",
        "ends_at",
        "lifted_at",
        "lifted_by",
    ]
    list_filter = [SuspensionActiveFilter]
    list_select_related = ["user", "moderator", "lifted_by"]
    search_fields = ["user__username", "user__display_name"]
    actions = ["lift"]

    add_form = SuspensionForm
    detail_fields = [
        "user",
        "moderator",
        "reason",
        "starts_at",
        "ends_at",
        "lifted_at",
        "lifted_by",
    ]
    made_fields = ["starts_at", "ends_at"]

    def make(self, *, moderator, user, days, reason):
        return services.user_suspend(user=user, moderator=moderator, days=days, reason=reason)

    @admin.display(description=_("reason"))
    def reason_excerpt(self, suspension):
        return Truncator(suspension.reason).chars(80)

    lift = each_action(
        services.suspension_lift,
        "suspension",
        "moderator",
        description=_("Lift the suspensions now"),
        permission="moderate",
        done=ngettext_lazy(
            "%(count)d suspension lifted.", "%(count)d suspensions lifted.", "count"
        ),
    )


# Moderator messages


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
        return self.role(request.user)

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


# Roles, in the staff /admin/. Accounts registers the user admin without them: the roles'
# service (moderation.services.role_set, which writes the audit log) is moderation's, and
# accounts imports no app above it.


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountsUserAdmin):
    actions = ["make_user", "make_moderator", "make_community_manager"]

    def has_role_permission(self, request):
        """Community managers appoint and remove moderators and community managers."""
        return is_community_manager(request.user) and request.user.is_active

    def _set_role(self, request, queryset, role):
        changed = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, _("You cannot change your own role."), messages.WARNING)
            elif user.is_superuser and not request.user.is_superuser:
                self.message_user(
                    request,
                    _("Only a superuser can change the role of %(name)s.")
                    % {"name": user.username},
                    messages.WARNING,
                )
            else:
                changed += services.role_set(user=user, role=role, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d role changed.", "%(count)d roles changed.", changed)
            % {"count": changed},
        )

    @admin.action(description=_("Make plain users"), permissions=["role"])
    def make_user(self, request, queryset):
        self._set_role(request, queryset, "user")

    @admin.action(description=_("Make moderators"), permissions=["role"])
    def make_moderator(self, request, queryset):
        self._set_role(request, queryset, "moderator")

    @admin.action(description=_("Make community managers"), permissions=["role"])
    def make_community_manager(self, request, queryset):
        self._set_role(request, queryset, "community_manager")
