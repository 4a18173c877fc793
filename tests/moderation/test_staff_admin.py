"""The staff /admin/: the escalation queue worked by the community managers, the staff
dashboard, read-only moderation lists, and role changes on users."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.models import User
from moderation import services
from moderation.models import Escalation, Flag, ModeratorAction
from tests import factories
from tests.clients import client_for
from tests.moderation.changelists import changelist_queries

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/escalation/"
USERS = "/admin/accounts/user/"
AUDIT_LOG = "/admin/moderation/moderatoraction/"
MY_ESCALATIONS = "/moderation/moderation/escalation/"


@pytest.fixture
def manager():
    return factories.user(display_name="Manager", is_staff=True)


@pytest.fixture
def cast(moderator, manager):
    return {
        "anonymous": None,
        "user": factories.user(),
        "moderator": moderator,
        "community manager": manager,
    }


@pytest.fixture
def escalation(moderator):
    post = factories.question(title="A heated thread")
    flag = services.flag_create(
        reporter=factories.user(reputation=100), reason=Flag.Reason.LOW_QUALITY, post=post
    )
    return services.escalate(moderator=moderator, note="The author threatens to sue.", flag=flag)


def act(client, action, objects, url=QUEUE, **data):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **data}
    )


# Who gets in


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("user", 302), ("moderator", 302), ("community manager", 200)],
)
@pytest.mark.parametrize("url", ["/admin/", QUEUE, "/admin/moderation/flag/", AUDIT_LOG, USERS])
def test_the_staff_admin_lets_in_community_managers_only(cast, escalation, who, status, url):
    response = client_for(cast[who]).get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("user", False), ("moderator", False), ("community manager", True)],
)
def test_only_community_managers_take_escalations(cast, escalation, who, allowed):
    act(client_for(cast[who]), "assign_to_me", [escalation])

    escalation.refresh_from_db()
    assert (escalation.status == Escalation.Status.ASSIGNED) is allowed


def test_the_staff_dashboard_counts_what_waits(manager, escalation, moderator):
    services.escalate(moderator=moderator, note="Another", subject_user=factories.user())
    services.escalation_assign(escalation=escalation, manager=manager)

    response = client_for(manager).get("/admin/")

    assert response.status_code == 200
    assert (response.context["open_escalations"], response.context["assigned_escalations"]) == (
        1,
        1,
    )
    assert response.context["my_escalations"] == 1
    assert 'id="open-escalations"' in response.content.decode()


def test_the_queue_opens_on_unresolved_escalations(manager, escalation, moderator):
    done = services.escalate(moderator=moderator, note="Old", subject_user=factories.user())
    services.escalation_resolve(escalation=done, manager=manager, resolution="Done.")
    client = client_for(manager)

    assert list(client.get(QUEUE).context["cl"].result_list) == [escalation]
    assert list(client.get(QUEUE, {"queue": "resolved"}).context["cl"].result_list) == [done]


def test_an_escalation_page_shows_the_note_the_flag_and_the_post(manager, escalation):
    response = client_for(manager).get(f"{QUEUE}{escalation.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "The author threatens to sue." in content
    assert "very low quality" in content
    assert "<strong>best</strong>" in content  # the post's body
    assert 'name="_save"' not in content


def test_a_community_manager_assigns_resolves_and_the_moderator_sees_the_outcome(
    manager, moderator, escalation
):
    client = client_for(manager)

    assert act(client, "assign_to_me", [escalation]).status_code == 302
    form = act(client, "resolve", [escalation])
    done = client.post(
        QUEUE,
        {
            "action": "resolve",
            ACTION_CHECKBOX_NAME: [escalation.pk],
            "apply": 1,
            "resolution": "Legal has it; post locked.",
            "flags": "True",
        },
    )

    assert form.status_code == 200 and "resolution" in form.content.decode()
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.assignee, escalation.resolution) == (
        Escalation.Status.RESOLVED,
        manager,
        "Legal has it; post locked.",
    )
    assert Flag.objects.get().status == Flag.Status.HELPFUL
    verbs = [row.verb for row in ModeratorAction.objects.order_by("pk") if row.target == escalation]
    assert verbs == [
        ModeratorAction.Verb.ESCALATED,
        ModeratorAction.Verb.ESCALATION_ASSIGNED,
        ModeratorAction.Verb.ESCALATION_RESOLVED,
    ]
    mine = client_for(moderator).get(MY_ESCALATIONS)
    assert "Legal has it; post locked." in mine.content.decode()


def test_a_community_manager_declines_flags_that_prove_unfounded(manager, moderator):
    post = factories.question(title="A blunt but fair question")
    reporters = [factories.user(reputation=100) for _ in range(2)]
    for reporter in reporters:
        services.flag_create(reporter=reporter, reason=Flag.Reason.LOW_QUALITY, post=post)
    escalation = services.escalate(moderator=moderator, note="Is this rude?", post=post)
    client = client_for(manager)

    form = act(client, "resolve", [escalation])
    done = client.post(
        QUEUE,
        {
            "action": "resolve",
            ACTION_CHECKBOX_NAME: [escalation.pk],
            "apply": 1,
            "resolution": "Not rude; the question stays.",
            "flags": "False",
        },
    )

    assert 'name="flags" value="True"' in form.content.decode()
    assert done.status_code == 302
    assert {(flag.status, flag.note) for flag in Flag.objects.all()} == {
        (Flag.Status.DECLINED, "Not rude; the question stays.")
    }
    for reporter in reporters:
        page = (
            client_for(reporter)
            .get(f"/users/{reporter.pk}/{reporter.slug}/flags/")
            .content.decode()
        )
        assert "flag-status-declined" in page
        assert "Not rude; the question stays." in page


def test_resolving_without_a_resolution_shows_the_page_again(manager, escalation):
    response = client_for(manager).post(
        QUEUE,
        {"action": "resolve", ACTION_CHECKBOX_NAME: [escalation.pk], "apply": 1, "resolution": ""},
    )

    assert response.status_code == 200
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN


def test_escalations_cannot_be_added_changed_or_deleted_through_forms(manager, escalation):
    client = client_for(manager)

    assert client.get(f"{QUEUE}add/").status_code == 403
    assert (
        client.post(
            f"{QUEUE}{escalation.pk}/change/", {"resolution": "x", "status": "resolved"}
        ).status_code
        == 403
    )
    assert client.post(f"{QUEUE}{escalation.pk}/delete/", {"post": "yes"}).status_code == 403


# The audit log


@pytest.mark.parametrize("superuser", [False, True])
def test_the_audit_log_is_read_only_even_for_superusers(manager, escalation, superuser):
    if superuser:
        manager = User.objects.create_superuser("root", "root@example.com", "pw-long-enough")
    row = ModeratorAction.objects.get()
    client = client_for(manager)

    listing = client.get(AUDIT_LOG)

    assert list(listing.context["cl"].result_list) == [row]
    assert f"{AUDIT_LOG}add/" not in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert client.get(f"{AUDIT_LOG}add/").status_code == 403
    assert client.post(f"{AUDIT_LOG}{row.pk}/change/", {"reason": "rewritten"}).status_code == 403
    assert client.post(f"{AUDIT_LOG}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ModeratorAction.objects.get().reason == row.reason


# Roles


@pytest.mark.parametrize(
    ("action", "is_moderator", "is_staff"),
    [
        ("make_moderator", True, False),
        ("make_community_manager", False, True),
        ("make_user", False, False),
    ],
)
def test_a_community_manager_changes_roles_and_the_change_is_recorded(
    manager, action, is_moderator, is_staff
):
    member = factories.moderator() if action == "make_user" else factories.user()

    response = act(client_for(manager), action, [member], url=USERS)

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_moderator, member.is_staff) == (is_moderator, is_staff)
    row = ModeratorAction.objects.get()
    assert (row.actor, row.verb, row.target) == (manager, ModeratorAction.Verb.ROLE_CHANGED, member)


def test_roles_are_read_only_in_the_user_form():
    root = User.objects.create_superuser("root", "root@example.com", "pw-long-enough")
    member = factories.user()
    client = client_for(root)
    page = client.get(f"{USERS}{member.pk}/change/").content.decode()

    assert 'name="is_moderator"' not in page and 'name="is_staff"' not in page


def test_a_community_manager_cannot_change_their_own_role_or_a_superusers(manager):
    root = User.objects.create_superuser("root", "root@example.com", "pw-long-enough")

    act(client_for(manager), "make_user", [manager, root], url=USERS)

    manager.refresh_from_db(), root.refresh_from_db()
    assert manager.is_staff and root.is_staff
    assert not ModeratorAction.objects.exists()


def test_moderators_cannot_change_roles(moderator):
    member = factories.user()

    act(client_for(moderator), "make_moderator", [member], url=USERS)

    member.refresh_from_db()
    assert not member.is_moderator


def test_the_escalation_queue_costs_the_same_queries_for_one_and_for_twenty(manager, moderator):
    client = client_for(manager)

    def queries_with(count):
        while Escalation.objects.count() < count:
            post = factories.question()
            flag = services.flag_create(
                reporter=factories.user(reputation=100), reason=Flag.Reason.SPAM, post=post
            )
            services.escalate(moderator=moderator, note="Check this", flag=flag)
        return changelist_queries(client, QUEUE, count)

    assert queries_with(1) == queries_with(20)
