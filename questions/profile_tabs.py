"""The tabs of a member's profile: one list, which the apps above fill.

`questions` registers its own tabs (the profile, the reputation history, the saved
questions); an app above it (badges, bounties …) registers a tab in its
`AppConfig.ready()` with `profile_tab_register`, and its page includes
`questions/_profile_tabs.html` with `tab=<its key>`. Every tab's URL takes the member's
`pk` and `slug`."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProfileTab:
    key: str
    label: str
    url_name: str
    # Tabs come in this order, lowest first.
    order: int
    # Shown to the member themself only (the page itself must refuse everyone else).
    owner_only: bool = False


_TABS = {}


def profile_tab_register(tab):
    """Adds `tab` (a ProfileTab) to every profile; registering its key again replaces it."""
    _TABS[tab.key] = tab


def profile_tabs(*, member, viewer):
    """(tab, url) of the tabs `viewer` may see on `member`'s profile, in order."""
    own = viewer is not None and viewer.pk == member.pk
    return [
        (tab, reverse(tab.url_name, kwargs={"pk": member.pk, "slug": member.slug}))
        for tab in sorted(_TABS.values(), key=lambda tab: tab.order)
        if own or not tab.owner_only
    ]


profile_tab_register(ProfileTab("profile", _("Activity"), "questions:profile", order=0))
profile_tab_register(ProfileTab("questions", _("Questions"), "questions:user_questions", order=10))
profile_tab_register(ProfileTab("answers", _("Answers"), "questions:user_answers", order=20))
profile_tab_register(ProfileTab("tags", _("Tags"), "questions:user_tags", order=30))
profile_tab_register(ProfileTab("votes", _("Votes"), "questions:user_votes", order=70))
profile_tab_register(ProfileTab("reputation", _("Reputation"), "questions:reputation", order=80))
profile_tab_register(ProfileTab("saved", _("Saved"), "questions:saved", order=90, owner_only=True))
