import json

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts import avatars, challenge, selectors, services, verification
from accounts.forms import AvatarForm, LoginForm, ProfileForm, SignUpForm
from accounts.models import AvatarKind
from accounts.permissions import profile_edit_denial, require
from core import throttling
from core.images import ImageRefused

User = get_user_model()

USERS_PER_PAGE = 36


USER_ORDER_LABELS = {
    "reputation": _lazy("Reputation"),
    "new": _lazy("New users"),
    "voters": _lazy("Voters"),
    "editors": _lazy("Editors"),
}


def user_list(request):
    order = request.GET.get("sort")
    if order not in selectors.USER_ORDERS:
        order = selectors.DEFAULT_USER_ORDER
    name_filter = request.GET.get("filter", "").strip()[: selectors.NAME_FILTER_MAX_LENGTH]
    members = selectors.user_list(order=order, name_filter=name_filter)
    page_obj = Paginator(members, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page_obj": page_obj,
            "sort": order,
            "sorts": USER_ORDER_LABELS.items(),
            "name_filter": name_filter,
        },
    )


def privileges(request):
    return render(
        request,
        "accounts/privileges.html",
        {
            "standings": selectors.privilege_standings(user=request.user),
            "beta": settings.FORUM_PRIVILEGE_PROFILE == "beta",
        },
    )


def _safe_next(request):
    """The `next` address, if it points back into this site; otherwise ''."""
    url = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def signup(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    address = throttling.client_address(request)
    if request.method == "POST" and throttling.signup_blocked(address=address):
        form.add_error(
            None,
            _("Too many accounts were made from your network today. Please try again tomorrow."),
        )
        return _signup_page(request, form, next_url, status=429)
    if form.is_valid():
        if form.email_first:
            throttling.signup_counted(address=address)
            return _signup_by_email(request, form)
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=request.LANGUAGE_CODE,
                email_verified=not verification.required(),
                signup_address=address,
            )
        except IntegrityError:
            # Someone took the name or address between the form's check and the insert.
            form.add_error(
                None, _("This username or email address was just taken. Please choose another.")
            )
        else:
            throttling.signup_counted(address=address)
            if not user.email_verified:
                throttling.verification_email_counted(email=user.email)
            auth.login(request, user)
            messages.success(request, _("Welcome to Stapel, %(name)s!") % {"name": user.name})
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return _signup_page(request, form, next_url)


def _signup_page(request, form, next_url, status=200):
    context = {"form": form, "next": next_url}
    if settings.FORUM_SIGNUP_DEFENCES:
        context["challenge"] = challenge.new_challenge()
        context["altcha_strings"] = json.dumps(
            {
                "label": _("I am a person"),
                "verifying": _("Checking…"),
                "verified": _("Checked"),
                "waitAlert": _("Checking… please wait."),
                "verificationRequired": _("Please wait until the check is done."),
                "error": _("The check failed. Please reload the page."),
                "expired": _("The check expired. Please tick the box again."),
            }
        )
    return render(request, "accounts/signup.html", context, status=status)


def _signup_by_email(request, form):
    email = form.cleaned_data["email"]
    if throttling.verification_email_counted(email=email):
        services.signup_email_send(
            username=form.cleaned_data["username"], email=email, language=request.LANGUAGE_CODE
        )
    # The same page whether or not the email went out: it tells nobody who asked before.
    return render(request, "accounts/signup_sent.html", {"email": email})


def signup_finish(request, token):
    """The page the emailed sign-up link opens: the password, then the account, verified."""
    data = verification.signup_for_token(token)
    if data is None:
        return render(request, "accounts/link_invalid.html", status=400)
    taken = User.objects.filter(email__iexact=data["email"]).exists() or (
        selectors.name_taken_by_lookalike(data["username"])
    )
    if taken:
        return render(request, "accounts/link_invalid.html", {"used": True}, status=400)
    form = SetPasswordForm(
        User(username=data["username"], email=data["email"]), request.POST or None
    )
    if form.is_valid():
        try:
            user = services.user_create(
                username=data["username"],
                email=data["email"],
                password=form.cleaned_data["new_password1"],
                language=data["language"],
                signup_address=throttling.client_address(request),
            )
        except IntegrityError:
            return render(request, "accounts/link_invalid.html", {"used": True}, status=400)
        auth.login(request, user)
        messages.success(request, _("Welcome to Stapel, %(name)s!") % {"name": user.name})
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup_finish.html", {"form": form, "signup": data})


def verify_email(request, token):
    """The page the verification link opens; its button (a POST) verifies the address."""
    user = verification.user_for_verify_token(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=400)
    if request.method == "POST":
        services.email_verify(user=user)
        messages.success(request, _("Thank you: your email address is confirmed."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/verify_email.html", {"member": user})


@login_required
@require_POST
def verification_resend(request):
    user = request.user
    if user.email_verified:
        messages.info(request, _("Your email address is confirmed already."))
    elif throttling.verification_email_counted(email=user.email):
        services.verification_email_send(user=user)
        messages.success(
            request, _("We have sent a new link to %(email)s.") % {"email": user.email}
        )
    else:
        messages.error(
            request, _("We have sent you several links today already. Please try again tomorrow.")
        )
    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)


# Django's own views for the password flows: they check `next`, cycle the session key on
# log-in, keep the session alive on a password change and sign the reset links.
login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


@require_POST
def logout(request):
    auth.logout(request)
    messages.success(request, _("You have logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html",
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, throttled: a few emails per email address and per visitor's
    address an hour, so that the form cannot flood an inbox or send mail in bulk."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email, address = form.cleaned_data["email"], throttling.client_address(self.request)
        if throttling.reset_blocked(email=email, address=address):
            form.add_error(
                None,
                _("Too many reset emails were asked for just now. Please try again in an hour."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        throttling.reset_requested(email=email, address=address)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
)


def _avatar_form(user, data=None, files=None):
    return AvatarForm(data, files, initial={"kind": user.avatar_kind})


@login_required
def profile_edit(request):
    require(profile_edit_denial(request.user))
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect(request.user)
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "avatar_form": _avatar_form(request.user)},
    )


@login_required
@require_POST
def avatar_edit(request):
    """Sets the member's picture; an upload that is not an image taken here is refused
    with the reason, and nothing is stored."""
    require(profile_edit_denial(request.user))
    avatar_form = _avatar_form(request.user, request.POST, request.FILES)
    if avatar_form.is_valid():
        kind = avatar_form.cleaned_data["kind"]
        try:
            if kind == AvatarKind.UPLOAD:
                upload = avatar_form.cleaned_data["picture"]
                # Read one byte past the limit: a larger file is refused without reading it all.
                data = upload.read(settings.FORUM_AVATAR_MAX_BYTES + 1)
                avatars.avatar_upload(user=request.user, data=data)
            else:
                avatars.avatar_choose(user=request.user, kind=kind)
        except ImageRefused as refusal:
            avatar_form.add_error("picture", refusal.message)
        else:
            messages.success(request, _("Your picture has been saved."))
            return redirect("accounts:profile_edit")
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": ProfileForm(instance=request.user), "avatar_form": avatar_form},
        status=400,
    )
