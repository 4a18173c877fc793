from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BountiesConfig(AppConfig):
    name = "bounties"
    verbose_name = _("Bounties")

    def ready(self):
        from bounties import events, subscribers
        from bounties.importer import import_bounties
        from bounties.selectors import ThreadBounties
        from core.events import subscribe
        from questions.events import PostDeleted
        from questions.importers.stackexchange.extensions import import_step_register
        from questions.profile_tabs import ProfileTab, profile_tab_register
        from questions.selectors.thread import thread_addition_register

        thread_addition_register(ThreadBounties())
        profile_tab_register(ProfileTab("bounties", _("Bounties"), "bounties:member", order=75))
        import_step_register("bounties", import_bounties)
        subscribe(PostDeleted, subscribers.question_deleted)
        for event in (events.BountyAwarded, events.BountyExpired, events.BountyRefunded):
            subscribe(event, subscribers.bounty_closed)
