"""Found by the W3C protocol test `bad_query_non_utf8`: a direct POST of a query in UTF-16
(`Content-Type: application/sparql-query; charset=UTF-16`) was answered 200, and a GET or form
query with bytes that are not UTF-8 was silently changed (each bad byte replaced by U+FFFD) and
run. SPARQL requests are UTF-8: another charset is refused (415) and invalid UTF-8 is a 400."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

ASK = "ASK { ?s ?p ?o }"


def send(url: str, data: bytes | None = None, content_type: str | None = None) -> int:
    headers = {"Accept": "application/sparql-results+json"}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers),
                                    timeout=20) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_direct_post_in_another_charset_is_refused(live):
    url = f"{live}/sparql"
    assert send(url, ASK.encode("utf-16"), "application/sparql-query; charset=UTF-16") == 415
    assert send(url, ASK.encode("latin-1"), "application/sparql-query; charset=ISO-8859-1") == 415
    assert send(url, ASK.encode(), "application/sparql-query; charset=utf-8") == 200
    assert send(url, ASK.encode(), "application/sparql-query") == 200


@pytest.mark.parametrize("encoded", ["%FF", "%C3%28", "%ED%A0%80"])
def test_invalid_utf8_in_a_get_or_form_query_is_a_400(live, encoded):
    bad = "ASK%20%7B%20%3Fs%20%3Fp%20%22" + encoded + "%22%20%7D"
    assert send(f"{live}/sparql?query={bad}") == 400
    assert send(f"{live}/sparql", f"query={bad}".encode(),
                "application/x-www-form-urlencoded") == 400
    assert send(f"{live}/sparql", ASK.encode(), "application/sparql-query; charset=utf-8") == 200


def test_invalid_utf8_in_a_direct_post_is_a_400(live):
    assert send(f"{live}/sparql", b'ASK { ?s ?p "\xff" }', "application/sparql-query") == 400


def test_valid_utf8_still_works(live):
    good = "ASK%20%7B%20%3Fs%20%3Fp%20%22Ana%20haray%C4%B1%22%40az%20%7D"
    assert send(f"{live}/sparql?query={good}") == 200
