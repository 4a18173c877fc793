"""`manage.py demo_accounts`: a member, a moderator and a community manager to try the
site with, only on a development site."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import is_community_manager, is_moderator
from moderation.models import ModeratorAction
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def test_a_development_site_gets_a_member_a_moderator_and_a_manager(settings):
    settings.DEBUG = True
    output = run()
    member, moderator, manager = (
        User.objects.get(username=name)
        for name in ("demo-member", "demo-moderator", "demo-manager")
    )
    assert not is_moderator(member) and not is_community_manager(member)
    assert is_moderator(moderator) and not is_community_manager(moderator)
    assert is_community_manager(manager)
    assert "demo-moderator (moderator), password stapel-demo" in output
    # The roles are given as any role is: in the audit log.
    assert ModeratorAction.objects.filter(verb=ModeratorAction.Verb.ROLE_CHANGED).count() == 2
    # They log in with the printed password, and the moderator reaches the panel.
    client = client_for(None)
    assert client.login(username="demo-moderator", password="stapel-demo")
    assert client.get("/moderation/").status_code == 200


def test_running_it_again_adds_nothing(settings):
    settings.DEBUG = True
    run()
    run()
    assert User.objects.filter(username__startswith="demo-").count() == 3
    assert ModeratorAction.objects.filter(verb=ModeratorAction.Verb.ROLE_CHANGED).count() == 2


def test_a_production_site_refuses_accounts_with_a_published_password(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        run()
    assert not User.objects.filter(username__startswith="demo-").exists()
