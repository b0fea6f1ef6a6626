"""Found in review: a request saying `Cache-Control: no-store` went past the front's shared
cache, but its response was kept there all the same and replayed to the next client, where
RFC 9111 (5.2.1.5) forbids a cache to keep any part of such a request or its response.
Request directives were also matched as substrings (`max-age=0` inside `max-age=01`).

A no-store request's response is not kept; directives are read one by one."""

from __future__ import annotations

from memorial_graph.web.response_cache import request_allows, request_lets_store


def headers_of(**values):
    low = {k.replace("_", "-").lower(): v for k, v in values.items()}
    return lambda name: low.get(name)


def test_the_response_to_a_no_store_request_is_not_kept():
    assert request_lets_store(headers_of(accept="text/turtle"))
    assert request_lets_store(headers_of(cache_control="no-cache"))    # refreshes the cache
    assert not request_lets_store(headers_of(cache_control="no-store"))
    assert not request_lets_store(headers_of(cache_control="max-age=10, No-Store"))
    assert not request_lets_store(headers_of(authorization="Basic eDp5"))


def test_directives_are_read_one_by_one():
    assert request_allows("GET", headers_of(cache_control="max-age=01"))
    assert not request_allows("GET", headers_of(cache_control="max-age=0"))
    assert not request_allows("GET", headers_of(cache_control="max-age = 0"))
