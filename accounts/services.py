from django.contrib.auth import get_user_model
from django.db import transaction

from core.markdown import render_post

User = get_user_model()


@transaction.atomic
def user_create(*, username, email, password, language=""):
    """A new member, signed up on the site (imported members come from the importer), who
    reads the site's emails in `language` (the one they signed up in)."""
    return User.objects.create_user(
        username=username, email=email, password=password, language=language
    )


@transaction.atomic
def profile_update(*, user, display_name, about_markdown, location, website):
    user.display_name = display_name
    user.about_markdown = about_markdown
    user.about_html = render_post(about_markdown)
    user.location = location
    user.website = website
    user.save(update_fields=["display_name", "about_markdown", "about_html", "location", "website"])
    return user
