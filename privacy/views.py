from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from accounts.roles import is_moderator
from privacy import exports, permissions, selectors, services
from privacy.forms import DeletionForm, EraseForm

User = get_user_model()


def policy(request):
    """What the site stores about its members and visitors, and why."""
    return render(
        request,
        "privacy/policy.html",
        {
            "deletion_days": settings.FORUM_ACCOUNT_DELETION_DAYS,
            "export_hours": settings.FORUM_DATA_EXPORT_HOURS,
        },
    )


def _settings_page(request, *, deletion_form=None, status=200):
    user = request.user
    export = selectors.current_export(user)
    return render(
        request,
        "privacy/settings.html",
        {
            "deletion": selectors.pending_deletion(user),
            "deletion_denial": permissions.deletion_request_denial(user),
            "deletion_form": deletion_form or DeletionForm(user=user),
            "deletion_days": settings.FORUM_ACCOUNT_DELETION_DAYS,
            "export": export,
            "export_link": exports.download_token(export) if export and export.file_name else None,
            "export_denial": permissions.export_denial(user),
        },
        status=status,
    )


@login_required
def privacy_settings(request):
    return _settings_page(request)


@login_required
@require_POST
def deletion_request(request):
    require(permissions.deletion_request_denial(request.user))
    form = DeletionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _settings_page(request, deletion_form=form, status=400)
    deletion = services.deletion_request(user=request.user)
    messages.success(
        request,
        _("Your account will be deleted on %(date)s. Until then you can cancel here.")
        % {"date": deletion.erase_at.strftime("%Y-%m-%d")},
    )
    return redirect("privacy:settings")


@login_required
@require_POST
def deletion_cancel(request):
    if services.deletion_cancel(user=request.user):
        messages.success(request, _("Your account will not be deleted."))
    return redirect("privacy:settings")


@login_required
@require_POST
def export_request(request):
    require(permissions.export_denial(request.user))
    exports.export_request(user=request.user)
    messages.success(
        request,
        _("We are putting your data together; the link will be here and in your email."),
    )
    return redirect("privacy:settings")


@login_required
def export_download(request, token):
    export = exports.export_for_token(token, user=request.user)
    if export is None:
        raise Http404(_("This link has expired or is not yours."))
    response = FileResponse(
        default_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"stapel-data-{request.user.pk}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    """A moderator erases an account at once, on its member's request (linked from the
    moderators' panel)."""
    if not is_moderator(request.user):
        raise Http404
    form = EraseForm(request.POST or None)
    if form.is_valid():
        target = form.cleaned_data["user"]
        denial = permissions.erase_denial(request.user, target)
        if denial:
            form.add_error("username", denial)
            return render(request, "privacy/erase.html", {"form": form}, status=400)
        services.account_erase(user=target, actor=request.user)
        messages.success(
            request,
            _("The account is erased; its posts are shown under %(name)s.")
            % {"name": services.placeholder_name(target.pk)},
        )
        return redirect("privacy:erase")
    return render(request, "privacy/erase.html", {"form": form})
