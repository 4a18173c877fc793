from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_create
from moderation import services

# Known passwords, so that a newcomer can try every role at once: only ever with
# DJANGO_DEBUG=1 (the command refuses otherwise), and listed in the README.
PASSWORD = "stapel-demo"
ACCOUNTS = (
    ("demo-member", "user"),
    ("demo-moderator", "moderator"),
    ("demo-manager", "community_manager"),
)


class Command(BaseCommand):
    help = (
        "Creates the demo accounts of a development site (a member, a moderator and a "
        "community manager, password stapel-demo); refused unless DJANGO_DEBUG=1."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts have a published password: they are made only with "
                "DJANGO_DEBUG=1, never on a production site."
            )
        User = get_user_model()
        for username, role in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, email=f"{username}@example.org", password=PASSWORD
                )
            services.role_set(user=user, role=role, reason="demo account")
            self.stdout.write(f"{username} ({role.replace('_', ' ')}), password {PASSWORD}")
