"""Content negotiation: one pure function decides the representation of every response
(`negotiate`); two more pick the language of names and the JSON-LD document form.

Order of precedence: an explicit extension in the URL or a format parameter (`format`,
`output`, `results`), then the `Accept` header with q-values and wildcards, then the
documented default (the first offered type). Nothing acceptable -> NotAcceptable (406). The
formats themselves are defined in `formats.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..errors import NotAcceptable
from ..formats import FORMATS, JSONLD_DEFAULT_FORM, JSONLD_NS, Format, by_token


class MediaRange(NamedTuple):
    """One entry of an Accept header."""

    media: str
    q: float
    position: int
    params: dict[str, str]


def _q(value: str) -> float:
    # RFC 9110 section 12.4.2: a qvalue is 0 to 1 with up to three decimals. A malformed one
    # ("q=abc") is ignored, as if absent, rather than read as 0, which would refuse the type.
    try:
        return max(0.0, min(1.0, float(value)))
    except ValueError:
        return 1.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Accept header -> [(media range, q, position, parameters)] in header order."""
    if not header or not header.strip():
        return []
    out = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q, params = 1.0, {}
        for param in fields[1:]:
            key, _, value = param.partition("=")
            key = key.strip().lower()
            if key == "q":
                q = _q(value.strip())
            elif key:
                params[key] = value.strip().strip('"')
        out.append(MediaRange(media, q, position, params))
    return out


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 0
    if media_range.endswith("/*"):
        return 1
    return 2


def _match(fmt: Format, ranges: list[MediaRange]) -> tuple[int, float] | None:
    """(specificity, q) of the most specific range matching this format, or None.

    A wildcard (`text/*`) matches a format's own media type only, not the aliases it is
    also known by: `text/*` on a SELECT means CSV or TSV, not SPARQL XML (by an XML alias).
    """
    best: tuple[int, float] | None = None
    names = {fmt.media_type} | {a for a in fmt.aliases if "/" in a}
    major = fmt.media_type.split("/", 1)[0]
    for media, q, _pos, _params in ranges:
        if media in names or media == "*/*" or media == f"{major}/*":
            spec = _specificity(media)
            if best is None or spec > best[0]:
                best = (spec, q)
    return best


def negotiate(offered: tuple[str, ...], accept: str | None = None,
              explicit: str | Sequence[str] | None = None) -> Format:
    """Choose one of `offered` (format names, the first is the default).

    `explicit` is a URL extension or the values of format parameters (`format`, `output`,
    `results`), read among the offered formats, so `xml` is RDF/XML for a graph and SPARQL
    XML for solutions. The first value that names an offered format wins; if values were
    given and none does, that is a 406 (the client asked for exactly that).
    """
    values = [explicit] if isinstance(explicit, str) else list(explicit or ())
    values = [v for v in values if v and v.strip()]
    if values:
        for value in values:
            fmt = by_token(value, offered)
            if fmt is not None:
                return fmt
        raise NotAcceptable(f"format '{values[0]}' is not available here; available: "
                            f"{', '.join(FORMATS[o].extension for o in offered)}")
    ranges = parse_accept(accept)
    if not ranges:
        return FORMATS[offered[0]]
    scored = []
    for index, name in enumerate(offered):
        match = _match(FORMATS[name], ranges)
        if match is None:
            continue
        # The most specific mention decides (Turtle at q=0 is excluded even with */*);
        # an exact mention beats a wildcard at equal q (browsers send */* with html).
        spec, q = match
        if q > 0:
            scored.append((q, spec == 2, -index, name))
    if not scored:
        raise NotAcceptable("none of the requested types can be produced; available: "
                            + ", ".join(FORMATS[o].media_type for o in offered))
    scored.sort(reverse=True)
    return FORMATS[scored[0][3]]


def jsonld_form(accept: str | None) -> str:
    """The JSON-LD document form the Accept header's `profile` asks for (JSON-LD 1.1 section
    9.1): "expanded", "compacted", "flattened" or "flattened compacted"; compacted when it
    names none. The best-rated JSON-LD range with a known profile decides."""
    ranges = [r for r in parse_accept(accept) if r.media == FORMATS["jsonld"].media_type and r.q > 0]
    for r in sorted(ranges, key=lambda r: (-r.q, r.position)):
        asked = {iri.removeprefix(JSONLD_NS) for iri in r.params.get("profile", "").split()
                 if iri.startswith(JSONLD_NS)}
        if "flattened" in asked:
            return "flattened compacted" if "compacted" in asked else "flattened"
        if "expanded" in asked:
            return "expanded"
        if "compacted" in asked:
            return "compacted"
    return JSONLD_DEFAULT_FORM


def negotiate_language(header: str | None, available: list[str], default: str = "en") -> str:
    """The reader's preferred language among `available` (Accept-Language), else `default`."""
    if not available:
        return default
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower()
        if not tag:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                q = _q(value.strip())
        ranges.append((-q, position, tag))
    for _neg_q, _pos, tag in sorted(ranges):
        if -_neg_q <= 0:
            continue
        if tag == "*":      # any language: the default one (RFC 4647 section 3.3.1)
            break
        for lang in available:
            if lang.lower() == tag or lang.lower() == tag.split("-")[0] \
                    or lang.lower().split("-")[0] == tag:
                return lang
    return default if default in available else available[0]
