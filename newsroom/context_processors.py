from django.conf import settings

from . import editions

# Which section of the site navigation a page belongs to, by URL name.
SECTIONS = {
    "article_list": "articles",
    "article_detail": "articles",
    "theme_list": "themes",
    "theme_detail": "themes",
    "person_list": "people",
    "person_detail": "people",
    "organization_list": "organizations",
    "organization_detail": "organizations",
}


def site(request):
    match = getattr(request, "resolver_match", None)
    return {
        # The edition's own name for the site (SITE_NAME, SITE_NAME_AR).
        "SITE_NAME": editions.site_name(),
        "SITE_URL": settings.SITE_URL,
        "nav_section": SECTIONS.get(getattr(match, "url_name", None), ""),
        # The edition (newsroom/editions.py); a view showing one article sets its own alternates.
        "EDITION": editions.current(),
        "OG_LOCALE": editions.OG_LOCALES[editions.current()],
        "alternates": editions.shared_page_alternates(request),
    }
