"""Defect: the front's shared cache counted a kept response's body, headers and URL against
its bytes, but not the request header values it keeps the variant under (those its Vary
names). A client sending a small document's URL with a long `Accept-Language` (64 KiB
passes granian) and a different one each time made each worker hold 64 KiB more per request
than it counted: a cache of 1 MiB held several times that, and one of 32 MiB (the default)
could be driven to gigabytes."""

from __future__ import annotations

import tracemalloc

from memorial_graph.web.response_cache import ResponseCache

SHAREABLE = [("Content-Type", "text/turtle"), ("ETag", '"abc"'),
             ("Cache-Control", "public, max-age=300"), ("Vary", "Accept, Accept-Language")]


def test_the_variants_kept_stay_within_the_bytes_given():
    cache = ResponseCache(1 << 20)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(100):
            # Each request's header, as the front reads it: a string of its own.
            languages = f"x-{n:03d}," + "y;q=0.1," * 8192

            def header(name: str, languages=languages) -> str | None:
                return languages if name == "accept-language" else None

            cache.put("/doc/x.ttl", "", header, 200, SHAREABLE, b"@prefix x: <y> ." * 64,
                      ("accept", "accept-language"))
            del languages, header
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert cache.size <= cache.max_bytes
    assert held <= 1.5 * cache.max_bytes, f"{held:,} bytes held for a cache of {cache.max_bytes:,}"
