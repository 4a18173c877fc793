from django.db import transaction

from questions.markdown import render_post


@transaction.atomic
def profile_update(*, user, display_name, about_markdown, location, website):
    user.display_name = display_name
    user.about_markdown = about_markdown
    user.about_html = render_post(about_markdown)
    user.location = location
    user.website = website
    user.save(update_fields=["display_name", "about_markdown", "about_html", "location", "website"])
    return user
