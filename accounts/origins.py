"""Whether a request comes from this site's own pages, as the browser tells it."""

from urllib.parse import urlsplit

from django.http import HttpRequest

# Sec-Fetch-Site: this site's own pages, or the person themselves (an address
# typed, a bookmark). "same-site" (another host of the domain) and "cross-site"
# are other pages.
OWN = frozenset({"same-origin", "none"})


def from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says that this site's pages, or the person, sent it.

    Browsers send ``Sec-Fetch-Site`` (Fetch Metadata) to HTTPS sites and to
    localhost. Without it, ``Origin`` and then ``Referer`` (which this site's
    pages send to their own site) are compared with this site's origin. A request
    with none of the three cannot be told from one that another site's page sent
    with its referrer hidden, so it is not taken as the site's own: over plain
    HTTP, an address typed or a bookmark waits for the first click on a page.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in OWN
    for header in ("Origin", "Referer"):
        sent = request.headers.get(header)
        if sent:
            parts = urlsplit(sent)
            return f"{parts.scheme}://{parts.netloc}" == own_origin(request)
    return False


def own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"
