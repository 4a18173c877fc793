from django.utils import timezone

from privacy.models import DataExport, DeletionRequest


def pending_deletion(user):
    return DeletionRequest.objects.filter(user=user, erased_at__isnull=True).first()


def current_export(user):
    """The member's latest export still offered, or being built."""
    return (
        DataExport.objects.filter(user=user)
        .exclude(expires_at__lte=timezone.now())
        .order_by("-requested_at", "-id")
        .first()
    )
