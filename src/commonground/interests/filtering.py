"""Interest filters in page URLs (`?i=slug&i=slug`), shared by the directory and group search.

Typed text (`?add=`, no JavaScript or Enter without picking) and a picked suggestion
(`?pick=slug`) both redirect to the canonical URL, so a filtered page has one address.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from commonground.core.errors import ApplicationError
from commonground.core.http import member_of
from commonground.interests.services import interest_for_text


def filter_slugs(raw: list[str], *, limit: int) -> list[str]:
    """Distinct, non-empty slugs in the order given, at most `limit`."""
    return [slug for slug in dict.fromkeys(s.strip() for s in raw) if slug][:limit]


def filter_redirect(
    request: HttpRequest, *, limit: int, keep: tuple[str, ...]
) -> HttpResponse | None:
    """The redirect that adds `?add=` or `?pick=` as a slug, or None when neither is given.

    A picked suggestion wins over the half-typed text beside it; text that matches no
    interest keeps the page as it was, with the reason as a message.
    """
    slugs = filter_slugs(request.GET.getlist("i"), limit=limit)
    add_text = request.GET.get("add", "").strip()
    picked = request.GET.get("pick", "").strip()
    if not (add_text or picked):
        return None
    if picked:
        slugs = filter_slugs([*slugs, picked], limit=limit)
    else:
        try:
            interest = interest_for_text(text=add_text, user=member_of(request), allow_new=False)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            slugs = filter_slugs([*slugs, interest.slug], limit=limit)
    query = [("i", s) for s in slugs] + [(k, request.GET[k]) for k in keep if request.GET.get(k)]
    return redirect(f"{request.path}?{urlencode(query)}")


def filter_links(slugs: list[str], others: list[tuple[str, str]]) -> dict[str, object]:
    """The page's query string, and for each slug the query string without it."""
    base = [("i", s) for s in slugs] + others
    return {
        "query_base": urlencode(base),
        "remove_links": {
            s: urlencode([(k, v) for k, v in base if not (k == "i" and v == s)]) for s in slugs
        },
    }
