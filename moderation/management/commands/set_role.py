from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from moderation import services


class Command(BaseCommand):
    help = (
        "Makes a user a plain user, a moderator or a community manager; "
        "the change is in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=services.ROLES)
        parser.add_argument(
            "--by", metavar="USERNAME", help="Who made the change (default: the system)."
        )
        parser.add_argument("--reason", default="", help="Why, for the audit log.")

    def handle(self, *args, username, role, by=None, reason="", **options):
        user = self._user(username)
        actor = self._user(by) if by else None
        if services.role_set(user=user, role=role, actor=actor, reason=reason):
            self.stdout.write(self.style.SUCCESS(f"{username} is now a {role.replace('_', ' ')}."))
        else:
            self.stdout.write(f"{username} is a {role.replace('_', ' ')} already.")

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'No user "{username}".') from None
