"""Header values the web tier sends on many routes: CORS (for pages on other origins, such as
a SPARQL editor) and `Repr-Digest` (RFC 9530) for representations whose bytes are known."""

from __future__ import annotations

import base64
import hashlib

# A preflight's answer: the request headers clients send (SPARQL editors, fetch() with
# conditional requests), and how long a browser may keep the answer (Chromium keeps at most
# two hours, Firefox one day).
CORS_ALLOW_HEADERS = ("Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since, "
                      "If-Match, If-Unmodified-Since, Cache-Control, Range, X-Requested-With")
CORS_MAX_AGE = "86400"
# Response headers a script on another origin may read beyond the safelisted ones.
CORS_EXPOSE_HEADERS = ("ETag, Link, Content-Location, Content-Disposition, Repr-Digest, "
                       "X-Query-Timeout, X-Result-Max-Bytes")


def repr_digest(sha256: bytes) -> str:
    """The `Repr-Digest` value for a SHA-256 digest: `sha-256=:<base64>:` (an RFC 8941 byte
    sequence, RFC 9530 section 3)."""
    return f"sha-256=:{base64.b64encode(sha256).decode('ascii')}:"


def repr_digest_of(body: bytes) -> str:
    return repr_digest(hashlib.sha256(body).digest())


def repr_digest_hex(hexdigest: str) -> str:
    """The same from a hex digest (as SHA256SUMS lists them)."""
    return repr_digest(bytes.fromhex(hexdigest))
