from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView

from core.media import media_serve
from core.views import theme_set
from forum import metrics, views
from moderation.admin.site import moderator_site
from questions.sitemaps import SITEMAPS
from questions.views import discovery

urlpatterns = [
    path("moderation/", moderator_site.urls),
    # Before any other api/ path, so that Stack Exchange's methods are this app's.
    path("api/2.3/", include("seapi.urls")),
    # First: questions/<id>/close/ would otherwise read as a question's slug.
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("reviews.urls")),
    path("", include("badges.urls")),
    # Before questions too: questions/<id>/bounty/ is not a slug.
    path("", include("bounties.urls")),
    path("", include("webhooks.urls")),
    path("", include("privacy.urls")),
    path("", include("questions.urls")),
    path("", include("accounts.urls")),
    # The REST API under api/v1/, its schema and documentation, and the tokens' page.
    path("", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("theme/", theme_set, name="theme_set"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The earlier name of the readiness check, for probes set up before it moved.
    path("health/", RedirectView.as_view(pattern_name="readyz", permanent=True)),
    path("metrics", metrics.metrics, name="metrics"),
    path("bench/ceiling/", views.bench_ceiling, name="bench_ceiling"),
    path("admin/", admin.site.urls),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # Uploads, when the application serves them itself (FORUM_SERVE_MEDIA; nginx otherwise).
    path("media/<path:path>", media_serve, name="media"),
]
