"""One page of each type the site serves, for the browser tests (axe, a phone's width, requests
that leave the server) and for `make screenshots`."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.conftest import MASSACRE, MONUMENT, SOURCE_NEWS

RESULTS_QUERY = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                 "SELECT ?entity ?name WHERE { ?entity skos:prefLabel ?name } ORDER BY ?name LIMIT 12")

# name -> path; the query page is opened through its permalink, so it runs and shows results.
PAGE_TYPES: dict[str, str] = {
    "home": "/",
    "index": "/index/people",
    "monument": f"/doc/{MONUMENT}",
    "event": f"/doc/{MASSACRE}",
    "source": f"/doc/{SOURCE_NEWS}",
    "claim": "/doc/xhs6r68",        # the memorial commemorates the events at Khojaly
    "search": "/search?q=khojaly",
    "query": "/query?query=" + quote(RESULTS_QUERY),
    "results": "/sparql?format=html&query=" + quote(RESULTS_QUERY),
    "saved-queries": "/queries/",
    "saved-query": "/queries/monument-makers",
    "dataset": "/void",
    "dumps": "/dumps/",
    "ontology": "/ontology",
    "not-found": "/doc/zzzzzzz",
    "home-az": "/?lang=az",          # the interface in Azerbaijani (the switcher's choice)
    "search-az": "/search?q=harayi&lang=az",
    "monument-az": f"/doc/{MONUMENT}?lang=az",
    "source-az": f"/doc/{SOURCE_NEWS}?lang=az",
    "dataset-az": "/void?lang=az",
}

# A locator, not a JavaScript predicate: the pages' CSP (no eval) applies to the tests too.
ROWS_DRAWN = re.compile(r" rows? in ")


def settle(page, name: str) -> None:
    """Wait until a page of this type has drawn what scripts add to it."""
    if name == "query":
        page.locator("#run-status", has_text=ROWS_DRAWN).wait_for()
