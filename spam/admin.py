"""The spam pages of the moderators' panel at /moderation/: destroyed spammers (destroy
one, see what it changed, undo it, destroy again) and bulk cleanups (search, preview,
destroy all as one batch, follow its progress, undo it). The addresses and email
addresses they show are the panel's, which only moderators enter."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.admin.site import ModeratorAdmin, moderator_site
from spam import selectors, services
from spam.forms import CleanupForm, ReasonForm
from spam.models import Change, Destruction, SpamBatch
from spam.permissions import destroy_denial, undo_denial

User = get_user_model()

moderator_site.menu = [
    *moderator_site.menu,
    (Destruction, gettext_lazy("Destroyed spammers")),
    (SpamBatch, gettext_lazy("Spam cleanup")),
]


def _summary(summary):
    return ", ".join(f"{count} × {Change.Kind(kind).label}" for kind, count in summary.items())


class LiveFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", gettext_lazy("destroyed")), ("undone", gettext_lazy("undone"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(undone_at__isnull=True)
        if self.value() == "undone":
            return queryset.filter(undone_at__isnull=False)
        return queryset


@admin.register(Destruction, site=moderator_site)
class DestructionAdmin(ModeratorAdmin):
    list_display = ["user", "moderator", "created_at", "what", "batch", "undone_at"]
    list_filter = [LiveFilter]
    list_select_related = ["user", "moderator", "batch"]
    search_fields = ["user__username", "user__display_name"]

    @admin.display(description=gettext_lazy("what it changed"))
    def what(self, destruction):
        return _summary(destruction.summary)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("destroy/<int:user_id>/", view(self.destroy_view), name="spam_destroy"),
            path("<int:pk>/undo/", view(self.undo_view), name="spam_destruction_undo"),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "changelist_url": reverse("moderation_admin:spam_destruction_changelist"),
            **context,
        }

    def destroy_view(self, request, user_id):
        """GET: what a destruction of the member would take, and its button; POST: the
        destruction (the thread's moderator menu posts here in one click)."""
        user = get_object_or_404(User, pk=user_id)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        denial = destroy_denial(request.user, user)
        live = Destruction.objects.filter(user=user, undone_at__isnull=True).first()
        if request.method == "POST" and not denial and live is None and form.is_valid():
            destruction = services.spammer_destroy(
                user=user, moderator=request.user, reason=form.cleaned_data["reason"]
            )
            if destruction is not None:
                messages.success(
                    request, _("%(name)s was destroyed as a spammer.") % {"name": user.name}
                )
                return redirect("moderation_admin:spam_destruction_change", destruction.pk)
            live = Destruction.objects.filter(user=user, undone_at__isnull=True).first()
        if live is not None:
            messages.info(request, _("%(name)s is destroyed already.") % {"name": user.name})
            return redirect("moderation_admin:spam_destruction_change", live.pk)
        users = selectors.accounts_preview(User.objects.filter(pk=user.pk))
        return TemplateResponse(
            request,
            "admin/spam/destroy.html",
            self._context(
                request,
                title=_("Destroy %(name)s as a spammer") % {"name": user.name},
                member=users[0] if users else user,
                denial=denial,
                form=form,
                undo_days=settings.FORUM_SPAM_UNDO_DAYS,
            ),
            status=403 if denial else 200,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        destruction = get_object_or_404(
            Destruction.objects.select_related("user", "moderator", "undone_by", "batch"),
            pk=object_id,
        )
        return TemplateResponse(
            request,
            "admin/spam/destruction.html",
            self._context(
                request,
                title=_("Destroyed spammer: %(name)s") % {"name": destruction.user.name},
                destruction=destruction,
                summary=_summary(destruction.summary),
                changes=selectors.destruction_changes(destruction),
                undo_denial=undo_denial(request.user, destruction),
                destroy_denial=destroy_denial(request.user, destruction.user),
                live=Destruction.objects.filter(
                    user=destruction.user, undone_at__isnull=True
                ).first(),
            ),
        )

    def undo_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        destruction = get_object_or_404(Destruction, pk=pk)
        if denial := undo_denial(request.user, destruction):
            messages.error(request, denial)
        elif services.destruction_undo(destruction=destruction, moderator=request.user):
            messages.success(request, _("Undone: everything it changed is back."))
        else:
            messages.error(request, _("This destruction has been undone already."))
        return redirect("moderation_admin:spam_destruction_change", destruction.pk)


@admin.register(SpamBatch, site=moderator_site)
class SpamBatchAdmin(ModeratorAdmin):
    list_display = ["__str__", "moderator", "created_at", "total", "processed", "status"]
    list_select_related = ["moderator"]

    def has_add_permission(self, request):
        return self.role(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/undo/", view(self.undo_view), name="spam_batch_undo"),
            path("<int:pk>/resume/", view(self.resume_view), name="spam_batch_resume"),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "changelist_url": reverse("moderation_admin:spam_spambatch_changelist"),
            **context,
        }

    def add_view(self, request, form_url="", extra_context=None):
        """The cleanup page: the search (GET) and its preview; the button posts the same
        criteria back, and the accounts they find then are destroyed as one batch."""
        data = request.POST if request.method == "POST" else (request.GET or None)
        form = CleanupForm(data)
        reason = ReasonForm(request.POST if request.method == "POST" else None)
        found = None
        if form.is_valid():
            criteria = {name: form.cleaned_data[name] for name in CleanupForm.CRITERIA}
            found = selectors.accounts_found(**criteria)
            if request.method == "POST" and reason.is_valid():
                ids = list(found.values_list("pk", flat=True))
                if ids:
                    batch = services.batch_start(
                        moderator=request.user,
                        user_ids=ids,
                        criteria=form.criteria(),
                        reason=reason.cleaned_data["reason"],
                    )
                    return redirect("moderation_admin:spam_spambatch_change", batch.pk)
                messages.info(request, _("No account matches any more."))
        total = found.count() if found is not None else 0
        return TemplateResponse(
            request,
            "admin/spam/cleanup.html",
            self._context(
                request,
                title=_("Spam cleanup"),
                form=form,
                reason_form=reason,
                searched=form.is_bound,
                total=total,
                preview=selectors.accounts_preview(found) if total else [],
                preview_size=selectors.PREVIEW_SIZE,
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(SpamBatch.objects.select_related("moderator"), pk=object_id)
        destructions = batch.destructions.select_related("user").order_by("pk")
        return TemplateResponse(
            request,
            "admin/spam/batch.html",
            self._context(
                request,
                title=str(batch),
                batch=batch,
                running=batch.status in (SpamBatch.Status.RUNNING, SpamBatch.Status.UNDOING),
                undoable=batch.status == SpamBatch.Status.DONE
                and batch.created_at >= services.undo_deadline(),
                percent=round(100 * batch.processed / batch.total) if batch.total else 100,
                destructions=destructions[:200],
                undone=batch.destructions.filter(undone_at__isnull=False).count(),
                criteria={
                    CleanupForm.base_fields[name].label: value
                    for name, value in batch.criteria.items()
                    if value
                },
            ),
        )

    def undo_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        batch = get_object_or_404(SpamBatch, pk=pk)
        if services.batch_undo(batch=batch, moderator=request.user):
            messages.success(request, _("The cleanup is being undone."))
        else:
            messages.error(
                request, _("Only a finished cleanup younger than the undo period can be undone.")
            )
        return redirect("moderation_admin:spam_spambatch_change", batch.pk)

    def resume_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        batch = get_object_or_404(SpamBatch, pk=pk)
        services.batch_resume(batch=batch)
        messages.success(request, _("The cleanup carries on where it stopped."))
        return redirect("moderation_admin:spam_spambatch_change", batch.pk)
