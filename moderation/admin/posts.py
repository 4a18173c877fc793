"""Questions and answers in the staff /admin/: questions' admin shows them read-only, and
this one adds the actions that change their states (delete and undelete, lock and unlock,
close and reopen, protect and unprotect) through moderation.services, with the community
manager as the actor: so each change is in the audit log, and the counters, list totals
and cached pages follow."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from moderation import services
from moderation.admin.site import StaffAdmin, each_action, intermediate_page
from moderation.models import CloseVote
from questions import admin as questions_admin
from questions.models import Answer, Question


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it closed?"),
        choices=[
            choice for choice in CloseVote.Reason.choices if choice[0] != CloseVote.Reason.DUPLICATE
        ],
        widget=forms.RadioSelect,
        help_text=_("A duplicate is closed on the site, whose close page asks for the original."),
    )


def post_action(service, description, done, *, target="post", actor="moderator"):
    """A state action for community managers, who act as the services' moderator."""
    return each_action(
        service, target, actor, description=description, permission="manage", done=done
    )


class PostStateActions:
    """For questions and answers alike. A post that is so already counts as unchanged."""

    delete_posts = post_action(
        services.post_delete,
        _("Delete the posts"),
        ngettext_lazy("%(count)d post deleted.", "%(count)d posts deleted.", "count"),
    )
    undelete_posts = post_action(
        services.post_undelete,
        _("Undelete the posts"),
        ngettext_lazy("%(count)d post undeleted.", "%(count)d posts undeleted.", "count"),
    )
    lock_posts = post_action(
        services.post_lock,
        _("Lock the posts"),
        ngettext_lazy("%(count)d post locked.", "%(count)d posts locked.", "count"),
    )
    unlock_posts = post_action(
        services.post_unlock,
        _("Unlock the posts"),
        ngettext_lazy("%(count)d post unlocked.", "%(count)d posts unlocked.", "count"),
    )


admin.site.unregister([Question, Answer])


@admin.register(Question)
class QuestionAdmin(PostStateActions, StaffAdmin, questions_admin.QuestionAdmin):
    actions = [
        "delete_posts",
        "undelete_posts",
        "lock_posts",
        "unlock_posts",
        "close_questions",
        "reopen_questions",
        "protect_questions",
        "unprotect_questions",
    ]

    @admin.action(description=_("Close the questions…"), permissions=["manage"])
    def close_questions(self, request, queryset):
        form = intermediate_page(
            self,
            request,
            queryset,
            form_class=CloseForm,
            title=_("Close questions"),
            intro=_("The reason is shown on each question and recorded in the audit log."),
            button=_("Close"),
            items=[(question.title, None) for question in queryset],
        )
        if not isinstance(form, forms.Form):
            return form
        count = sum(
            services.question_close(
                question=question, actor=request.user, reason=form.cleaned_data["reason"]
            )
            for question in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d question closed.", "%(count)d questions closed.", count)
            % {"count": count},
        )
        return None

    reopen_questions = post_action(
        services.question_reopen,
        _("Reopen the questions"),
        ngettext_lazy("%(count)d question reopened.", "%(count)d questions reopened.", "count"),
        target="question",
        actor="actor",
    )
    protect_questions = post_action(
        services.question_protect,
        _("Protect the questions"),
        ngettext_lazy("%(count)d question protected.", "%(count)d questions protected.", "count"),
        target="question",
    )
    unprotect_questions = post_action(
        services.question_unprotect,
        _("Unprotect the questions"),
        ngettext_lazy(
            "%(count)d question no longer protected.",
            "%(count)d questions no longer protected.",
            "count",
        ),
        target="question",
    )


@admin.register(Answer)
class AnswerAdmin(PostStateActions, StaffAdmin, questions_admin.AnswerAdmin):
    actions = ["delete_posts", "undelete_posts", "lock_posts", "unlock_posts"]
