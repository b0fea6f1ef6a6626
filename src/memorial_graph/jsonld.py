"""JSON-LD in the document form a client asks for: expanded, compacted or flattened.

pyoxigraph writes expanded JSON-LD; PyLD (the JSON-LD 1.1 API in Python) compacts or flattens
it against a @context made of the project's prefixes, so keys read `crm:P140_...` and
`skos:prefLabel`. Only that inline context is used: loading a remote document is refused.
"""

from __future__ import annotations

import json

from pyld import jsonld


def _no_remote_documents(url: str, options: dict | None = None) -> dict:
    raise jsonld.JsonLdError(f"remote JSON-LD documents are not loaded ({url})",
                             "jsonld.LoadDocumentError", code="loading document failed")


def reshape(expanded: bytes, prefixes: dict[str, str], form: str) -> bytes:
    """Expanded JSON-LD (as pyoxigraph writes it) in `form`: "expanded", "compacted",
    "flattened" (without a context) or "flattened compacted"."""
    if form == "expanded":
        return expanded
    document = json.loads(expanded)
    context = {"@context": dict(sorted(prefixes.items()))}
    options = {"documentLoader": _no_remote_documents}
    if form == "compacted":
        out = jsonld.compact(document, context, options)
    elif form == "flattened":
        out = jsonld.flatten(document, None, options)
    elif form == "flattened compacted":
        out = jsonld.flatten(document, context, options)
    else:
        raise ValueError(f"unknown JSON-LD form {form!r}")
    return json.dumps(out, ensure_ascii=False, indent=1).encode("utf-8")
