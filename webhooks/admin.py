"""The webhooks and their delivery log in the staff /admin/, read-only (the managers
change webhooks on their own pages, /webhooks/). The secret is never shown here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from moderation.admin.site import StaffAdmin
from webhooks.models import Attempt, Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(StaffAdmin):
    list_display = [
        "url",
        "events",
        "is_active",
        "failures_in_a_row",
        "disabled_at",
        "created_at",
        "manage",
    ]
    list_filter = ["is_active"]
    list_select_related = ["created_by"]
    fields = [
        "url",
        "kinds",
        "is_active",
        "failures_in_a_row",
        "disabled_at",
        "created_by",
        "created_at",
    ]

    @admin.display(description=_("events"))
    def events(self, webhook):
        return ", ".join(str(label) for label in webhook.kind_labels())

    @admin.display(description=_("manage"))
    def manage(self, webhook):
        return format_html(
            '<a href="{}">{}</a>', reverse("webhooks:detail", args=[webhook.pk]), _("on its page")
        )


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = [
        "number",
        "started_at",
        "status_code",
        "duration_ms",
        "succeeded",
        "error_text",
        "response_excerpt",
    ]
    readonly_fields = ["error_text"]

    @admin.display(description=_("error"))
    def error_text(self, attempt):
        return attempt.error_message()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return StaffAdmin.role(request.user)


@admin.register(Delivery)
class DeliveryAdmin(StaffAdmin):
    list_display = [
        "uuid",
        "webhook",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["webhook"]
    search_fields = ["uuid", "webhook__url"]
    fields = [
        "uuid",
        "webhook",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "body",
    ]
    inlines = [AttemptInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("log")

    @admin.display(description=_("last error"))
    def last_error(self, delivery):
        attempts = list(delivery.log.all())
        return Truncator(attempts[-1].error_message()).chars(80) if attempts else ""
